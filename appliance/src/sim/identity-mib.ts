// What a simulated printer tells a discovery sweep about itself, served from the objects a real one answers:
// sysObjectID (HP's enterprise), the HOST-RESOURCES device table (one row, type printer), the interface
// table (MAC), the Printer-MIB serial (a column of prtGeneralTable, added by the agent) and HP's own
// model, serial and firmware objects. A printer of another maker ('other') has no HP objects.
import snmp, { type Mib } from 'net-snmp';

export interface SimIdentity {
  serialNumber: string;
  /** The marketing name (hrDeviceDescr, HP model-name). */
  model: string;
  hostname?: string;
  macAddress?: string;
  firmware?: string;
  /** Default 'hp'. */
  vendor?: 'hp' | 'other';
}

export const OID = {
  sysObjectID: '1.3.6.1.2.1.1.2',
  hrDeviceEntry: '1.3.6.1.2.1.25.3.2.1',
  hrDevicePrinter: '1.3.6.1.2.1.25.3.1.5',
  ifEntry: '1.3.6.1.2.1.2.2.1',
  /** HP netPML device system id group: model-name .2, serial-number .3, fw-rom .6 (each a scalar, .0). */
  hpSystemId: '1.3.6.1.4.1.11.2.3.9.4.2.1.1.3',
  /** An HP JetDirect printer's sysObjectID. */
  hpPrinterObjectId: '1.3.6.1.4.1.11.2.3.9.1',
  /** Another maker's printer (Brother's enterprise), for "not HP" tests. */
  otherPrinterObjectId: '1.3.6.1.4.1.2435.2.3.9.1',
};

const ro = snmp.MaxAccess['read-only'];
const hidden = snmp.MaxAccess['not-accessible'];

function scalar(mib: Mib, name: string, oid: string, type: number, value: unknown) {
  mib.registerProvider({ name, type: snmp.MibProviderType.Scalar, oid, scalarType: type, maxAccess: ro });
  mib.setScalarValue(name, value);
}

export function registerIdentity(mib: Mib, id: SimIdentity) {
  const hp = (id.vendor ?? 'hp') === 'hp';
  scalar(mib, 'sysObjectID', OID.sysObjectID, snmp.ObjectType.OID, hp ? OID.hpPrinterObjectId : OID.otherPrinterObjectId);
  mib.registerProvider({
    name: 'hrDeviceTable', type: snmp.MibProviderType.Table, oid: OID.hrDeviceEntry, maxAccess: hidden,
    tableColumns: [
      { number: 1, name: 'hrDeviceIndex', type: snmp.ObjectType.Integer, maxAccess: hidden },
      { number: 2, name: 'hrDeviceType', type: snmp.ObjectType.OID, maxAccess: ro },
      { number: 3, name: 'hrDeviceDescr', type: snmp.ObjectType.OctetString, maxAccess: ro },
    ],
    tableIndex: [{ columnName: 'hrDeviceIndex' }],
  });
  mib.addTableRow('hrDeviceTable', [1, OID.hrDevicePrinter, id.model]);
  if (id.macAddress) {
    mib.registerProvider({
      name: 'ifTable', type: snmp.MibProviderType.Table, oid: OID.ifEntry, maxAccess: hidden,
      tableColumns: [
        { number: 1, name: 'ifIndex', type: snmp.ObjectType.Integer, maxAccess: hidden },
        { number: 6, name: 'ifPhysAddress', type: snmp.ObjectType.OctetString, maxAccess: ro },
      ],
      tableIndex: [{ columnName: 'ifIndex' }],
    });
    // Index 1 is the loopback interface with no address, as on real stacks: a reader must look further.
    mib.addTableRow('ifTable', [1, Buffer.alloc(0)]);
    mib.addTableRow('ifTable', [2, Buffer.from(id.macAddress.replace(/[:-]/g, ''), 'hex')]);
  }
  if (hp) {
    scalar(mib, 'hpModelName', `${OID.hpSystemId}.2`, snmp.ObjectType.OctetString, id.model);
    scalar(mib, 'hpSerialNumber', `${OID.hpSystemId}.3`, snmp.ObjectType.OctetString, id.serialNumber);
    if (id.firmware) scalar(mib, 'hpFwRom', `${OID.hpSystemId}.6`, snmp.ObjectType.OctetString, id.firmware);
  }
}

// The simulated printer's own objects (hp-objects.ts) in a net-snmp agent MIB, with the behaviours a real
// printer has that a plain scalar does not: password objects that answer only SET / NOT_SET, a verify object
// that compares a written candidate, IPP authentication refused until credentials exist, communities that
// change the agent's own access, and "SNMP off" that silences the agent. Every committed write is reported
// to `onCommit` (the announcement agent listens for its own objects).
import snmp, { type Mib, type MibRequest, type ProviderDefinition } from 'net-snmp';
import { HP_OBJECTS, type NativeObject } from './hp-objects.ts';

const PRT_GENERAL_ENTRY = '1.3.6.1.2.1.43.5.1.1';
export const GENERAL_TABLE = 'prtGeneralTable';
const PRT_COLUMNS: Record<string, number> = { prtConsoleDisable: 13, prtAuxiliarySheetStartupPage: 14 };

export type NativeValue = number | string | Uint8Array;

export interface NativeHooks {
  /** Every committed SET of a served object, after the agent stored it. */
  onCommit(o: NativeObject, value: NativeValue): void;
  /** The community MIB: the write community replaced, or a read community added. */
  communityChanged(kind: 'write' | 'read', community: string): void;
  /** npCtlSNMPEnableDisable set to 0. */
  snmpOff(): void;
}

export interface ServedObject {
  o: NativeObject;
  /** Served as a hostile OCTET STRING instead (tests of the adapter's defences). */
  hostile?: string;
  readOnly: boolean;
}

/**
 * net-snmp's agent decodes every SET OCTET STRING as UTF-8 text, which mangles binary values such as an
 * InetAddress 192.168.1.5. The simulated printers keep the bytes a manager sent, as a printer does.
 */
let bytesKept = false;
function keepSetBytes() {
  if (bytesKept) return;
  bytesKept = true;
  const cast = snmp.ObjectTypeUtil.castSetValue.bind(snmp.ObjectTypeUtil);
  snmp.ObjectTypeUtil.castSetValue = (type, value, constraints) => {
    if (type !== snmp.ObjectType.OctetString || !Buffer.isBuffer(value)) return cast(type, value, constraints);
    cast(type, value, constraints); // the library's own checks (throws on a size outside the constraints)
    return Buffer.from(value);
  };
}

const text = (v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('utf8') : String(v ?? ''));
const bytes = (v: NativeValue) => (v instanceof Uint8Array ? Buffer.from(v) : Buffer.from(String(v), 'utf8'));
export const isTableColumn = (o: NativeObject) => o.oid.startsWith(`${PRT_GENERAL_ENTRY}.`);

export class NativeMib {
  /** Secrets of write-only objects, by object name; never served back. */
  private readonly secrets = new Map<string, string>();
  private readonly byName: Map<string, ServedObject>;

  constructor(private readonly mib: Mib, readonly served: ServedObject[], private readonly hooks: NativeHooks, private readonly serial?: string) {
    keepSetBytes();
    this.byName = new Map(served.map((s) => [s.o.name, s]));
    for (const s of served) if (!isTableColumn(s.o)) mib.registerProvider(this.provider(s));
    const columns = served.filter((s) => isTableColumn(s.o));
    if (columns.length || serial) {
      mib.registerProvider(this.generalTable(columns));
      mib.addTableRow(GENERAL_TABLE, [1, ...columns.map((c) => c.o.factory), ...(serial ? [serial] : [])]);
    }
  }

  has(name: string): boolean { return this.byName.has(name); }

  /** The native value as the agent would serve it (a write-only object: its SET / NOT_SET marker). */
  read(name: string): NativeValue | undefined {
    const s = this.byName.get(name);
    if (!s) return undefined;
    const v = isTableColumn(s.o) ? this.mib.getTableSingleCell(GENERAL_TABLE, PRT_COLUMNS[s.o.name], [1]) : this.mib.getScalarValue(s.o.name);
    return v as NativeValue;
  }

  /** What a write-only object holds (test hook: what the manager really wrote). */
  secret(name: string): string | undefined { return this.secrets.get(name); }

  /** Stores a native value locally (as the panel or a firmware would), bypassing the SET checks. */
  write(name: string, value: NativeValue): void {
    const s = this.byName.get(name);
    if (!s) throw new Error(`this printer has no object ${name}`);
    if (s.o.writeOnly && !s.hostile) {
      this.keepSecret(s.o, text(value));
      return;
    }
    if (isTableColumn(s.o)) this.mib.setTableSingleCell(GENERAL_TABLE, PRT_COLUMNS[s.o.name], [1], value);
    else this.mib.setScalarValue(name, s.hostile !== undefined ? String(value) : s.o.syntax === 'OctetString' ? bytes(value) : value);
  }

  /** Stores a value the agent's own checks would refuse (a number outside the enumeration: a firmware the MIB predates). */
  writeRaw(name: string, value: NativeValue): void {
    const s = this.byName.get(name);
    const node = s && this.mib.lookup(s.o.oid);
    if (!node) throw new Error(`this printer has no object ${name}`);
    node.value = s.o.syntax === 'OctetString' && !(value instanceof Uint8Array) ? Buffer.from(String(value), 'utf8') : value;
  }

  factoryReset(): void {
    this.secrets.clear();
    for (const s of this.served) this.write(s.o.name, s.hostile ?? s.o.factory);
  }

  private marker(o: NativeObject): Buffer {
    const set = (this.secrets.get(o.name) ?? '') !== '';
    return Buffer.from(o.writeOnly === 'state-digit' ? (set ? '1' : '0') : set ? 'SET' : 'NOT_SET');
  }

  private keepSecret(o: NativeObject, value: string) {
    if (value === '') this.secrets.delete(o.name);
    else this.secrets.set(o.name, value);
    this.mib.setScalarValue(o.name, this.marker(o));
  }

  private provider(s: ServedObject): ProviderDefinition {
    const { o } = s;
    const maxAccess = s.readOnly ? snmp.MaxAccess['read-only'] : snmp.MaxAccess['read-write'];
    const base = { name: o.name, type: snmp.MibProviderType.Scalar, oid: o.oid.replace(/\.0$/, ''), maxAccess };
    if (s.hostile !== undefined) return { ...base, scalarType: snmp.ObjectType.OctetString };
    const scalarType = snmp.ObjectType[o.syntax];
    const constraints = o.values ? { enumeration: Object.fromEntries(o.values.map((v) => [String(v), `v${v}`])) }
      : o.range ? { ranges: [{ min: o.range[0], max: o.range[1] }] } : o.size ? { sizes: [{ min: o.size[0], max: o.size[1] }] } : undefined;
    return { ...base, scalarType, ...(constraints ? { constraints } : {}), handler: (req) => this.handle(o, req) };
  }

  private generalTable(columns: ServedObject[]): ProviderDefinition {
    return {
      name: GENERAL_TABLE,
      type: snmp.MibProviderType.Table,
      oid: PRT_GENERAL_ENTRY,
      maxAccess: snmp.MaxAccess['not-accessible'],
      tableColumns: [
        // The index stands in for the foreign hrDeviceIndex and is not-accessible, as in the Printer-MIB.
        { number: 1, name: 'prtGeneralIndex', type: snmp.ObjectType.Integer, maxAccess: snmp.MaxAccess['not-accessible'] },
        ...columns.map((c) => ({ number: PRT_COLUMNS[c.o.name], name: c.o.name, type: snmp.ObjectType.Integer,
          maxAccess: c.readOnly ? snmp.MaxAccess['read-only'] : snmp.MaxAccess['read-write'],
          constraints: { enumeration: Object.fromEntries((c.o.values ?? []).map((v) => [String(v), `v${v}`])) } })),
        ...(this.serial ? [{ number: 17, name: 'prtGeneralSerialNumber', type: snmp.ObjectType.OctetString, maxAccess: snmp.MaxAccess['read-only'] }] : []),
      ],
      tableIndex: [{ columnName: 'prtGeneralIndex' }],
      handler: (req) => {
        const o = columns.find((c) => PRT_COLUMNS[c.o.name] === Number(req.oid.split('.').at(-2)))?.o;
        return o ? this.handle(o, req) : req.done();
      },
    };
  }

  private handle(o: NativeObject, r: MibRequest) {
    const req = r;
    const refuse = (errorStatus: number) => req.done({ errorStatus, type: snmp.ObjectType.Null, value: null });
    if (r.testSet) {
      if (o.verifies && text(r.setValue) !== (this.secrets.get(o.verifies) ?? '')) return refuse(snmp.ErrorStatus.GeneralError);
      // The MIB: IPP authentication is accepted only once an IPP user and password are set (encrypted writes this printer never got).
      if (o.name === 'npSecurityIppAuthentication' && r.setValue === 1) return refuse(snmp.ErrorStatus.InconsistentValue);
      return req.done();
    }
    if (!r.commitSet) return req.done();
    const value = r.setValue as NativeValue;
    req.done();
    // After the response is built: a password object keeps the secret and serves its marker from now on,
    // and a verify object does not keep the candidate.
    if (o.writeOnly) this.keepSecret(o, text(value));
    if (o.verifies) this.mib.setScalarValue(o.name, Buffer.alloc(0));
    if (o.name === 'setCommunityName' && text(value)) this.hooks.communityChanged('write', text(value));
    if (o.name === 'getCommunityName' && text(value)) this.hooks.communityChanged('read', text(value));
    if (o.name === 'npCtlSNMPEnableDisable' && value === 0) this.hooks.snmpOff();
    this.hooks.onCommit(o, value);
  }
}

/** The objects a model serves: all of HP_OBJECTS minus what it lacks, by MIB name, catalog OID or family. */
export function servedObjects(model: { lacks: readonly string[]; lacksFamilies?: readonly string[]; readOnly?: readonly string[];
  hostile?: Readonly<Record<string, { value: string }>> }, oidOf: (idOrName: string) => string | undefined): ServedObject[] {
  const lacks = new Set(model.lacks.map((x) => oidOf(x) ?? x));
  const ro = new Set((model.readOnly ?? []).map((x) => oidOf(x) ?? x));
  const hostile = new Map(Object.entries(model.hostile ?? {}).map(([k, v]) => [oidOf(k) ?? k, v.value]));
  return HP_OBJECTS.filter((o) => !lacks.has(o.oid) && !lacks.has(o.name) && !model.lacksFamilies?.includes(o.family))
    .map((o) => ({ o, readOnly: ro.has(o.oid) || ro.has(o.name), hostile: hostile.get(o.oid) ?? hostile.get(o.name) }));
}

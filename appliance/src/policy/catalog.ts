// The settings catalog: every printer setting a policy may name, as one data table.
// Adding a setting is adding a row; assessment, validation, the SNMP adapter and the simulated agents all
// read this table, so nothing else needs to change.

/** A value as a policy states it (what an admin types). */
export type PolicyValue = boolean | string;
/** A value as it travels in an SNMP varbind. */
export type WireValue = number | string;
/** The SNMP syntax the device must use for the setting. */
export type WireType = 'Integer' | 'OctetString';

export interface SettingDef {
  id: string;
  title: string;
  help: string;
  /** Instance OID (with the trailing .0 or table index). */
  oid: string;
  wireType: WireType;
  valueType: 'boolean' | 'string';
  /** Human description of the values a policy may use (shown in the catalog API). */
  allowed: string;
  /** For strings: longest value accepted, in characters. */
  maxLength?: number;
  /** What a printer ships with; the simulated agents start (and cold-reset) to this. */
  factoryDefault: PolicyValue;
  toWire(value: PolicyValue): WireValue;
  /** undefined when the device answered with a value this setting does not know (e.g. INTEGER 7). */
  fromWire(value: WireValue): PolicyValue | undefined;
}

const JETDIRECT = '1.3.6.1.4.1.11.2.4.3.7';
const MIB2_SYSTEM = '1.3.6.1.2.1.1';
/** prtConsoleDisable for hrDeviceIndex 1 (Printer-MIB, RFC 3805 prtGeneralTable column 13). */
const PRT_CONSOLE_DISABLE = '1.3.6.1.2.1.43.5.1.1.13.1';

const SWITCH_ALLOWED = 'true (on) | false (off)';

function jetDirectSwitch(id: string, n: number, title: string, help: string): SettingDef {
  return {
    id,
    title,
    help,
    oid: `${JETDIRECT}.${n}.0`,
    wireType: 'Integer',
    valueType: 'boolean',
    allowed: SWITCH_ALLOWED,
    factoryDefault: true,
    // JetDirect npCfg switches: INTEGER 1 = enabled, 0 = disabled.
    toWire: (v) => (v === true ? 1 : 0),
    fromWire: (w) => (w === 1 ? true : w === 0 ? false : undefined),
  };
}

function systemString(id: string, n: number, title: string, help: string): SettingDef {
  return {
    id,
    title,
    help,
    oid: `${MIB2_SYSTEM}.${n}.0`,
    wireType: 'OctetString',
    valueType: 'string',
    // MIB-II DisplayString (SIZE (0..255)).
    allowed: 'text, at most 255 characters',
    maxLength: 255,
    factoryDefault: '',
    toWire: (v) => String(v),
    // Longer than the MIB allows is not a value we recognise (and not worth storing in results).
    fromWire: (w) => (typeof w === 'string' && w.length <= 255 ? w : undefined),
  };
}

export const CATALOG: readonly SettingDef[] = Object.freeze([
  jetDirectSwitch('telnet', 19, 'Telnet', 'Unencrypted remote configuration console on TCP 23. Turn off.'),
  jetDirectSwitch('ftp-printing', 20, 'FTP printing', 'Print jobs and firmware over unencrypted FTP (TCP 20/21).'),
  jetDirectSwitch('slp', 21, 'SLP', 'Service Location Protocol announcements, used by old drivers for discovery.'),
  jetDirectSwitch('lpd', 22, 'LPD printing', 'Line Printer Daemon printing on TCP 515.'),
  jetDirectSwitch('raw-9100', 24, 'Raw port 9100', 'Raw (JetDirect) printing on TCP 9100; most drivers need it.'),
  jetDirectSwitch('syslog', 26, 'Syslog', 'Sending the printer log to a syslog server.'),
  jetDirectSwitch('bonjour', 29, 'Bonjour (mDNS)', 'Multicast DNS announcements for AirPrint and Mac discovery.'),
  jetDirectSwitch('ipv4-multicast', 30, 'IPv4 multicast', 'Receiving IPv4 multicast (needed by Bonjour and SLP).'),
  jetDirectSwitch('ws-discovery', 36, 'WS-Discovery', 'Web Services discovery used by Windows to find the printer.'),
  jetDirectSwitch('ws-print', 37, 'WS-Print', 'Web Services printing (WSD port) from Windows.'),
  jetDirectSwitch('llmnr', 38, 'LLMNR', 'Link-Local Multicast Name Resolution answers.'),
  jetDirectSwitch('tftp-config', 44, 'TFTP configuration', 'Loading the network configuration from a TFTP server at boot.'),
  systemString('sys-contact', 4, 'Contact', 'MIB-II sysContact: who looks after this printer.'),
  systemString('sys-name', 5, 'Device name', 'MIB-II sysName: the administratively assigned name.'),
  systemString('sys-location', 6, 'Location', 'MIB-II sysLocation: where the printer stands.'),
  {
    id: 'control-panel-lock',
    title: 'Control panel lock',
    help:
      'true locks the front panel (prtConsoleDisable = disabled(4)); false leaves it usable (enabled(3)). ' +
      'Note the inversion: "locked" is the Printer-MIB value "disabled".',
    oid: PRT_CONSOLE_DISABLE,
    wireType: 'Integer',
    valueType: 'boolean',
    allowed: 'true (locked) | false (unlocked)',
    factoryDefault: false,
    toWire: (v) => (v === true ? 4 : 3),
    fromWire: (w) => (w === 4 ? true : w === 3 ? false : undefined),
  },
]);

const BY_ID = new Map(CATALOG.map((s) => [s.id, s]));
const BY_OID = new Map(CATALOG.map((s) => [s.oid, s]));

export function settingById(id: string): SettingDef | undefined {
  return BY_ID.get(id);
}

export function settingByOid(oid: string): SettingDef | undefined {
  return BY_OID.get(oid);
}

/** The catalog as plain JSON for `GET /api/v1/catalog` (no functions). */
export function catalogView(): Array<Omit<SettingDef, 'toWire' | 'fromWire'>> {
  return CATALOG.map(({ toWire: _t, fromWire: _f, ...rest }) => rest);
}

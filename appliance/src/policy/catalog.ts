// The settings catalog: every printer setting a policy may name, as data. Adding a setting is adding a row
// (catalog-rows-*.ts); assessment, validation, the SNMP adapter and the editor all read this table.
// Besides the rows a policy may use, the catalog lists what HP's public MIBs offer that a policy may NOT
// use, with the reason (encrypted writes, undocumented layouts, one-shot actions), and the rows it dropped.
import { AREAS, FAMILIES, type SettingDef } from './catalog-kinds.ts';
import { DEVICE_ROWS, FIRMWARE_ROWS, LOGGING_ROWS, TLS_ROWS } from './catalog-rows-device.ts';
import { MANAGEMENT_ROWS, PASSWORD_ROWS, PROTOCOL_ROWS } from './catalog-rows-network.ts';
import { modelsOf, SOURCES } from './catalog-sources.ts';

export type { PolicyValue, WireType, WireValue, SettingDef, NamedValue, Area, Family, Guard, ValueType } from './catalog-kinds.ts';
export { AREAS, FAMILIES } from './catalog-kinds.ts';

export const CATALOG: readonly SettingDef[] = Object.freeze([
  ...PROTOCOL_ROWS, ...MANAGEMENT_ROWS, ...PASSWORD_ROWS, ...DEVICE_ROWS, ...TLS_ROWS, ...LOGGING_ROWS, ...FIRMWARE_ROWS,
]);

/** Objects the MIBs offer that policies cannot use, and why. */
export interface UnavailableSetting { id: string; title: string; oid: string; sources: readonly string[]; reason: string }

const ENCRYPTED =
  'the printer accepts this value only encrypted with its own public key (npSecurityPublicKey), and no public MIB describes the ' +
  'padding or format of that encryption, so the appliance cannot produce a write the printer would accept';
const SEC = '1.3.6.1.4.1.11.2.4.3.20';

export const NOT_SUPPORTED: readonly UnavailableSetting[] = Object.freeze([
  { id: 'snmpv3-user', title: 'SNMPv3 user name (encrypted write)', oid: `${SEC}.13.0`, sources: ['JD3', 'OJ', 'PW'], reason: ENCRYPTED },
  { id: 'snmpv3-auth-key', title: 'SNMPv3 authentication key (encrypted write)', oid: `${SEC}.14.0`, sources: ['JD3', 'OJ', 'PW'], reason: ENCRYPTED },
  { id: 'snmpv3-priv-key', title: 'SNMPv3 privacy key (encrypted write)', oid: `${SEC}.15.0`, sources: ['JD3', 'OJ', 'PW'], reason: ENCRYPTED },
  { id: 'ipp-auth-password', title: 'IPP password (encrypted write)', oid: `${SEC}.63.0`, sources: ['JD3'], reason: `${ENCRYPTED}; the IPP user name must go in the same write, so it is not offered either` },
  { id: 'dot1x-password', title: '802.1X password (encrypted write)', oid: `${SEC}.6.0`, sources: ['JD3', 'OJ', 'PW', 'LJ402', 'LJ501'], reason: ENCRYPTED },
  { id: 'wifi-psk', title: 'Wi-Fi WPA passphrase (encrypted write)', oid: `${SEC}.36.0`, sources: ['JD3', 'PW'], reason: ENCRYPTED },
  { id: 'wifi-direct-passphrase', title: 'Wi-Fi Direct passphrase (encrypted write)', oid: `${SEC}.55.0`, sources: ['JD3', 'OJ', 'PW'], reason: ENCRYPTED },
  { id: 'wifi-wep-key', title: 'Wi-Fi WEP key (encrypted write)', oid: `${SEC}.7.1.2.1`, sources: ['JD3', 'PW'], reason: ENCRYPTED },
  { id: 'jetsend-password', title: 'JetSend contact password', oid: '1.3.6.1.4.1.11.2.3.9.4.2.1.3.8.3.1.1.0', sources: ['LJC'],
    reason: 'a write must carry the old password followed by the new one, which a policy that states one value cannot provide' },
  { id: 'snmpv3-initial-account', title: 'SNMPv3 initial account', oid: '1.3.6.1.4.1.11.2.4.3.7.28.0', sources: ['JD3', 'OJ', 'PW'],
    reason: 'a one-shot action (destroy the factory account, or block it until a cold reset) whose read-back value no MIB documents, so compliance cannot be judged' },
  { id: 'fs-external-access', title: 'Disk access by PJL, PostScript, NFS, web server', oid: '1.3.6.1.4.1.11.2.3.9.4.2.1.1.10.1.10.0', sources: ['LJC', 'IJ8060', 'LJ3015', 'LJ4525'],
    reason: 'a bit collection whose bit positions the MIB does not give; writing guessed bits could open what it means to close' },
  { id: 'fs-erase-mode', title: 'Secure erase mode', oid: '1.3.6.1.4.1.11.2.3.9.4.2.1.1.10.1.11.0', sources: ['LJC', 'LJ4525'],
    reason: 'the bit order inside the OCTET STRING is not given by the MIB' },
  { id: 'ews-feature-bits', title: 'Web server feature switches', oid: '1.3.6.1.4.1.11.2.3.9.4.2.1.3.9.1.3.0', sources: ['LJ4525', 'LJ3035', 'IJ8060'],
    reason: 'the MIB names none of the bits' },
  { id: 'ip-acl', title: 'IP access list', oid: '1.3.6.1.4.1.11.2.4.3.5.9.1.2', sources: ['LJ251', 'LJ402', 'JD3'],
    reason: 'a ten-row table rewritten as a whole (writing 0.0.0.0 clears it), read-only in JD3; a wrong list locks out management and printing, so it needs its own editor with a lock-out check' },
  { id: 'interface-admin-status', title: 'Interface administrative state', oid: '1.3.6.1.2.1.2.2.1.7', sources: ['MIB2', 'OJ', 'PW'],
    reason: 'the interface numbering differs per printer, and turning the one the appliance uses down cuts it off; only the printer\'s panel can undo it' },
  { id: 'ipsec-firewall', title: 'IPsec / firewall policy', oid: '1.3.6.1.4.1.11.2.4.3.7.34.0', sources: ['JD3'],
    reason: 'SNMP can only switch the firewall off, never on: not a hardening setting' },
  { id: 'legacy-protocol-set', title: 'Legacy protocol stack bits (IPX, AppleTalk, DLC)', oid: '1.3.6.1.4.1.11.2.4.3.7.9.0', sources: ['JD3', 'OJ'],
    reason: 'one bit field mixing switches and channel counts; a whole-value write would also change the counts' },
  { id: 'trap-destinations', title: 'SNMP trap destinations', oid: '1.3.6.1.4.1.11.2.4.3.22.1.2.1', sources: ['JD3', 'LJ402'],
    reason: 'table rows without a documented index (the legacy table numbers its rows irregularly)' },
]);

/** Rows the catalog had and dropped: no public MIB defines their OIDs, so a write could mean anything. */
export const RETIRED: readonly UnavailableSetting[] = Object.freeze([
  { id: 'ipv4-multicast', title: 'IPv4 multicast', oid: '1.3.6.1.4.1.11.2.4.3.7.30.0', sources: [],
    reason: 'no public MIB defines 1.3.6.1.4.1.11.2.4.3.7.30 (npCtl objects exist for 1–22, 24, 26–29, 32, 34, 36–39, 47, 51–54, 57–59, 65–68, 70, 73, 74, 79–81, 83); removed from policies' },
  { id: 'tftp-config', title: 'TFTP configuration', oid: '1.3.6.1.4.1.11.2.4.3.7.44.0', sources: [],
    reason: 'no public MIB defines 1.3.6.1.4.1.11.2.4.3.7.44; the only TFTP-related write (npCtlReconfig) is an action, not a switch; removed from policies' },
]);

/** Ids that changed meaning: a policy naming them gets a hint, and stored policies are migrated (policy-repo.ts). */
export const RENAMED: Readonly<Record<string, string>> = {
  'ftp-printing': 'replaced by "ftp", a four-value setting: off | on | print-only | download-only ("ftp-printing": true also opened FTP download)',
};

const BY_ID = new Map(CATALOG.map((s) => [s.id, s]));
const BY_OID = new Map(CATALOG.map((s) => [s.oid, s]));

export function settingById(id: string): SettingDef | undefined {
  return BY_ID.get(id);
}

export function settingByOid(oid: string): SettingDef | undefined {
  return BY_OID.get(oid);
}

export function isSecretSetting(id: string): boolean {
  return BY_ID.get(id)?.valueType === 'secret';
}

const view = ({ toWire: _t, fromWire: _f, ...rest }: SettingDef) =>
  ({ ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) as typeof rest, models: modelsOf(rest.sources) });

/** The catalog as plain JSON for `GET /api/v1/catalog` (no functions). */
export function catalogView() {
  return {
    settings: CATALOG.map(view),
    areas: Object.entries(AREAS).map(([id, title]) => ({ id, title })),
    families: Object.entries(FAMILIES).map(([id, convention]) => ({ id, convention })),
    notSupported: NOT_SUPPORTED.map((u) => ({ ...u, models: modelsOf(u.sources) })),
    retired: RETIRED,
    sources: SOURCES,
  };
}

// The shapes of catalog rows and one builder per kind of value. Each builder carries its MIB family's value
// convention explicitly (JetDirect np* 0 = off / 1 = on, HP device objects 1 = off / 2 = on, Printer-MIB
// 3 / 4, MIB-II 1 / 2), so a row can never inherit the wrong one: the numbers are written in the row.

/** A value as a policy states it (what an admin types). A secret is a string on the way in only. */
export type PolicyValue = boolean | string | number;
/** A value as it travels in an SNMP varbind (bytes for binary OCTET STRINGs such as InetAddress). */
export type WireValue = number | string | Uint8Array;
/** The SNMP syntax the device uses for the setting. */
export type WireType = 'Integer' | 'OctetString' | 'IpAddress';
export type ValueType = 'boolean' | 'enum' | 'flags' | 'integer' | 'string' | 'ip' | 'secret';

export const AREAS = {
  protocols: 'Network protocols and services',
  management: 'Management access (SNMP, web server, announcement agent)',
  passwords: 'Passwords',
  device: 'Device, control panel, storage and jobs',
  tls: 'TLS, 802.1X and wireless security',
  logging: 'Logging and alerts',
  firmware: 'Firmware',
} as const;
export type Area = keyof typeof AREAS;

export const FAMILIES = {
  jetdirect: 'JetDirect (np* objects under 1.3.6.1.4.1.11.2.4.3): switches are 0 = off, 1 = on',
  'hp-device': 'HP device objects (PML, under 1.3.6.1.4.1.11.2.3.9.4.2): switches are 1 = off, 2 = on',
  'printer-mib': 'Printer-MIB (RFC 3805, 1.3.6.1.2.1.43): 3 = enabled/on, 4 = disabled/off',
  'mib-2': 'Standard MIB-II objects (1.3.6.1.2.1): switches are 1 = on, 2 = off',
} as const;
export type Family = keyof typeof FAMILIES;

/** One value of an enumeration (or one bit of a flag set): its name in policies, its number on the wire. */
export interface NamedValue {
  name: string;
  wire: number;
  label: string;
  /** A value the device may report but a policy may not ask for (e.g. "not supported"). */
  reportOnly?: boolean;
}

/** Writes that can cut the appliance off from the device; policy validation checks them (guards.ts). */
export type Guard = 'snmp-agent' | 'snmp-versions' | 'snmp-default-read' | 'snmp-write-community' | 'interface';

export interface SecretSpec {
  /** What a read answers: the words SET / NOT_SET, a state digit ('0' unset, '1' set …), or not stated by the MIB. */
  readBack: 'set-not-set' | 'state-digit' | 'not-stated';
  /** An object that compares a written candidate with the stored secret (noError on a match). */
  verifyOid?: string;
}

export interface SettingDef {
  id: string;
  title: string;
  help: string;
  area: Area;
  family: Family;
  /** Instance OID (with the trailing .0 or table index). */
  oid: string;
  wireType: WireType;
  valueType: ValueType;
  /** Human description of the values a policy may use. */
  allowed: string;
  /** boolean: the wire numbers for on and off; enum/flags: every value the MIB names. */
  wire?: { on: number; off: number };
  values?: readonly NamedValue[];
  min?: number;
  max?: number;
  /** Strings and secrets: longest value accepted, in characters. */
  maxLength?: number;
  minLength?: number;
  /** What a printer ships with (null for secrets: not set); the simulated printers start from their own table. */
  factoryDefault: PolicyValue | null;
  /** MIB files that define the object (keys of SOURCES in catalog-sources.ts). */
  sources: readonly string[];
  guard?: Guard;
  secret?: SecretSpec;
  /** The value "this-appliance" is accepted and resolved at remediation to the appliance's own address. */
  acceptsThisAppliance?: boolean;
  toWire(value: PolicyValue): WireValue;
  /** undefined when the device answered with a value this setting does not know (e.g. INTEGER 7). */
  fromWire(value: WireValue, bytes?: Uint8Array): PolicyValue | undefined;
}

type Common = Pick<SettingDef, 'id' | 'title' | 'help' | 'area' | 'sources'> & { guard?: Guard };

const JD = '1.3.6.1.4.1.11.2.4.3';
const PML = '1.3.6.1.4.1.11.2.3.9.4.2.1';
export const OID_BASE = { npCtl: `${JD}.7`, npCfg: `${JD}.5`, npTcp: `${JD}.6`, npWeb: `${JD}.18`, npSecurity: `${JD}.20`, pml: PML,
  community: '1.3.6.1.4.1.11.2.15.1', prtGeneral: '1.3.6.1.2.1.43.5.1.1', mib2: '1.3.6.1.2.1' } as const;

function familyOf(oid: string): Family {
  if (oid.startsWith(`${PML}.`)) return 'hp-device';
  if (oid.startsWith('1.3.6.1.4.1.11.')) return 'jetdirect';
  if (oid.startsWith('1.3.6.1.2.1.43.')) return 'printer-mib';
  return 'mib-2';
}

/** An on/off switch with its family's numbers written out: `{ on: 1, off: 0 }` for JetDirect and so on. */
export function onOff(c: Common, oid: string, wire: { on: number; off: number }, factory: boolean, words = { on: 'on', off: 'off' }): SettingDef {
  return {
    ...c, family: familyOf(oid), oid, wireType: 'Integer', valueType: 'boolean', wire,
    allowed: `true (${words.on}, INTEGER ${wire.on}) | false (${words.off}, INTEGER ${wire.off})`,
    factoryDefault: factory,
    toWire: (v) => (v === true ? wire.on : wire.off),
    fromWire: (w) => (w === wire.on ? true : w === wire.off ? false : undefined),
  };
}

/** JetDirect switch: INTEGER 0 = off, 1 = on. */
export const jd = (c: Common, oid: string, factory = true, words?: { on: string; off: string }) => onOff(c, oid, { on: 1, off: 0 }, factory, words);
/** HP device (PML) switch: eOff(1) / eOn(2), eDisabled(1) / eEnabled(2). */
export const pml = (c: Common, oid: string, factory = false, words?: { on: string; off: string }) => onOff(c, oid, { on: 2, off: 1 }, factory, words);

export function enumeration(c: Common, oid: string, values: readonly NamedValue[], factory: string): SettingDef {
  const byName = new Map(values.map((v) => [v.name, v]));
  const byWire = new Map(values.map((v) => [v.wire, v]));
  return {
    ...c, family: familyOf(oid), oid, wireType: 'Integer', valueType: 'enum', values,
    allowed: values.filter((v) => !v.reportOnly).map((v) => `${v.name} (${v.wire})`).join(' | '),
    factoryDefault: factory,
    toWire: (v) => byName.get(String(v))!.wire,
    fromWire: (w) => (typeof w === 'number' ? byWire.get(w)?.name : undefined),
  };
}

/**
 * A bit mask: the policy names the bits that must be set, in the MIB's order, joined by commas ("" = none).
 * A device value with a bit the MIB does not name is unknown, not rounded to the known bits.
 */
export function flags(c: Common, oid: string, bits: readonly NamedValue[], factory: string, opts: { atLeastOne?: boolean } = {}): SettingDef {
  const all = bits.reduce((m, b) => m | b.wire, 0);
  return {
    ...c, family: familyOf(oid), oid, wireType: 'Integer', valueType: 'flags', values: bits, min: opts.atLeastOne ? 1 : 0,
    allowed: `the bits to allow, comma-separated, of: ${bits.map((b) => `${b.name} (${b.wire})`).join(', ')}${opts.atLeastOne ? ' (at least one)' : ' ("" = none)'}`,
    factoryDefault: factory,
    toWire: (v) => String(v).split(',').filter(Boolean).reduce((m, name) => m | bits.find((b) => b.name === name)!.wire, 0),
    fromWire: (w) => (typeof w === 'number' && Number.isInteger(w) && w >= 0 && (w & ~all) === 0
      ? bits.filter((b) => (w & b.wire) !== 0).map((b) => b.name).join(',') : undefined),
  };
}

export function integer(c: Common, oid: string, min: number, max: number, factory: number, unit = ''): SettingDef {
  return {
    ...c, family: familyOf(oid), oid, wireType: 'Integer', valueType: 'integer', min, max,
    allowed: `a whole number from ${min} to ${max}${unit ? ` (${unit})` : ''}`,
    factoryDefault: factory,
    toWire: (v) => Number(v),
    fromWire: (w) => (typeof w === 'number' && Number.isInteger(w) && w >= min && w <= max ? w : undefined),
  };
}

export function text(c: Common, oid: string, maxLength: number, factory = ''): SettingDef {
  return {
    ...c, family: familyOf(oid), oid, wireType: 'OctetString', valueType: 'string', maxLength,
    allowed: `text, at most ${maxLength} characters`,
    factoryDefault: factory,
    toWire: (v) => String(v),
    // Longer than the MIB allows is not a value we recognise (and not worth keeping in results).
    fromWire: (w) => (typeof w === 'string' && w.length <= maxLength ? w : undefined),
  };
}

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
export const isIpv4 = (s: string) => IPV4.test(s);

/** An SNMP IpAddress (4 octets); 0.0.0.0 means "none", shown as "". */
export function ipAddress(c: Common, oid: string): SettingDef {
  return {
    ...c, family: familyOf(oid), oid, wireType: 'IpAddress', valueType: 'ip',
    allowed: 'an IPv4 address, or "" for none (0.0.0.0)',
    factoryDefault: '',
    toWire: (v) => (v === '' ? '0.0.0.0' : String(v)),
    fromWire: (w) => (typeof w === 'string' && isIpv4(w) ? (w === '0.0.0.0' ? '' : w) : undefined),
  };
}

/**
 * An InetAddress held as an OCTET STRING of 4 (IPv4) octets; all zeros or empty means "not configured"
 * *(inferred: the MIB says only "zero when empty")*. "this-appliance" is resolved before it gets here.
 */
export function inetAddress(c: Common, oid: string): SettingDef {
  return {
    ...c, family: familyOf(oid), oid, wireType: 'OctetString', valueType: 'ip', acceptsThisAppliance: true,
    allowed: 'this-appliance (the address this appliance has as seen from the printer) | an IPv4 address | "" (none)',
    factoryDefault: '',
    toWire: (v) => Uint8Array.from(v === '' ? [0, 0, 0, 0] : String(v).split('.').map(Number)),
    fromWire: (_w, bytes) => {
      if (!bytes) return undefined;
      if (bytes.length === 0 || (bytes.length === 4 && bytes.every((b) => b === 0))) return '';
      return bytes.length === 4 ? Array.from(bytes).join('.') : undefined;
    },
  };
}

/**
 * A write-only secret. The policy value is the secret (sealed at rest, never shown); on the device it is
 * judged by what a read admits: SET / NOT_SET, a state digit, or (with a verify object) a match.
 */
export function secret(c: Common, oid: string, spec: SecretSpec, length: { min?: number; max: number }): SettingDef {
  return {
    ...c, family: familyOf(oid), oid, wireType: 'OctetString', valueType: 'secret', secret: spec, maxLength: length.max, minLength: length.min,
    allowed: `a secret of ${length.min ?? 1}–${length.max} printable characters (write-only: it is never shown again)`,
    factoryDefault: null,
    toWire: (v) => String(v),
    fromWire: (w) => (typeof w === 'string' ? secretState(spec, w) : undefined),
  };
}

/** What a secret's read says, in the words assessments use: 'set' | 'not-set'; undefined when unrecognised. */
export function secretState(spec: SecretSpec, answer: string): 'set' | 'not-set' | undefined {
  const a = answer.trim();
  if (spec.readBack === 'state-digit') return a === '0' ? 'not-set' : a === '1' || a === '2' || a === '3' ? 'set' : undefined;
  if (/^not[_ -]?set$/i.test(a)) return 'not-set';
  if (/^set$/i.test(a)) return 'set';
  // A device that does not say SET/NOT_SET: any answer is read as "something is set" only when the MIB
  // leaves read-back unstated; an empty answer means nothing is set.
  if (spec.readBack === 'not-stated') return a === '' ? 'not-set' : 'set';
  return undefined;
}

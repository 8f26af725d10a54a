// Turns whatever a device put in a varbind into a Reading the assessment understands, and turns
// remediation steps into varbinds. Devices are untrusted: wrong types, 64 KB strings and odd values
// must become a plain "not what we expected", never an exception.
import snmp, { type Varbind } from 'net-snmp';
import type { Reading, RemediationStep } from '../policy/index.ts';

/** Longest device answer kept in a result; the rest is summarised. */
const RAW_LIMIT = 80;
/** Longest string value kept at all; anything longer cannot match a policy (max 255) anyway. */
const VALUE_LIMIT = 1024;

const INTEGER_TYPES = new Set([snmp.ObjectType.Integer, snmp.ObjectType.Counter, snmp.ObjectType.Gauge, snmp.ObjectType.TimeTicks]);

function typeName(type: unknown): string {
  return typeof type === 'number' && typeof snmp.ObjectType[type] === 'string' ? String(snmp.ObjectType[type]) : `type ${String(type)}`;
}

function shortText(s: string): string {
  const printable = s.replace(/[\u0000-\u001f\u007f]/g, '.');
  return printable.length <= RAW_LIMIT ? JSON.stringify(printable) : `${JSON.stringify(printable.slice(0, RAW_LIMIT))}… (${s.length} chars)`;
}

export function toReading(vb: Varbind | undefined): Reading {
  if (!vb || typeof vb !== 'object') return { kind: 'missing', raw: 'no varbind in reply' };
  const type = vb.type;
  if (type === snmp.ObjectType.NoSuchObject) return { kind: 'noSuchObject', raw: 'noSuchObject' };
  if (type === snmp.ObjectType.NoSuchInstance) return { kind: 'noSuchInstance', raw: 'noSuchInstance' };
  if (type === snmp.ObjectType.EndOfMibView) return { kind: 'endOfMibView', raw: 'endOfMibView' };
  const name = typeName(type);
  if (INTEGER_TYPES.has(type) && typeof vb.value === 'number' && Number.isFinite(vb.value)) {
    // Counter/Gauge/TimeTicks keep their own type name, so they do not pass as an INTEGER setting.
    return { kind: 'value', type: name, value: vb.value, raw: `${name} ${vb.value}` };
  }
  if (type === snmp.ObjectType.OctetString && (Buffer.isBuffer(vb.value) || typeof vb.value === 'string')) {
    const buf = Buffer.isBuffer(vb.value) ? vb.value : Buffer.from(vb.value);
    const text = buf.subarray(0, VALUE_LIMIT).toString('utf8');
    // A string longer than the limit is kept truncated plus a marker so it can never equal a policy value.
    const value = buf.length > VALUE_LIMIT ? `${text}\u0000(truncated)` : text;
    return { kind: 'value', type: name, value, bytes: Uint8Array.from(buf.subarray(0, VALUE_LIMIT)),
      raw: `${name} ${shortText(buf.toString('utf8', 0, Math.min(buf.length, RAW_LIMIT * 4)))}${buf.length > RAW_LIMIT * 4 ? ` (${buf.length} bytes)` : ''}` };
  }
  if (type === snmp.ObjectType.IpAddress && typeof vb.value === 'string' && vb.value.length <= 15) {
    return { kind: 'value', type: name, value: vb.value, raw: `${name} ${vb.value}` };
  }
  let shown: string;
  try {
    shown = Buffer.isBuffer(vb.value) ? `${vb.value.length} bytes` : shortText(String(vb.value));
  } catch {
    shown = 'undecodable';
  }
  return { kind: 'value', type: name, value: `(${name})`, raw: `${name} ${shown}` };
}

/** Maps the reply's varbinds to the requested OIDs by OID (never by position: a reply naming other OIDs is not trusted). */
export function readingsFor(oids: readonly string[], varbinds: readonly Varbind[] | undefined): Record<string, Reading> {
  const byOid = new Map<string, Varbind>();
  for (const vb of Array.isArray(varbinds) ? varbinds : []) if (vb && typeof vb.oid === 'string') byOid.set(vb.oid, vb);
  const out: Record<string, Reading> = {};
  for (const oid of oids) out[oid] = toReading(byOid.get(oid));
  return out;
}

export function toVarbind(step: Pick<RemediationStep, 'oid' | 'wireType' | 'wireValue'> & Partial<RemediationStep>): Varbind {
  const v = step.wireValue;
  if (step.wireType === 'Integer') return { oid: step.oid, type: snmp.ObjectType.Integer, value: Number(v) };
  if (step.wireType === 'IpAddress') return { oid: step.oid, type: snmp.ObjectType.IpAddress, value: String(v) };
  return { oid: step.oid, type: snmp.ObjectType.OctetString, value: v instanceof Uint8Array ? Buffer.from(v) : Buffer.from(String(v), 'utf8') };
}

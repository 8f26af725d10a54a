// Assessment is a pure diff between a policy and what a device answered. It decides what is compliant,
// what the device lacks, which values to write (only the non-compliant, supported ones) and, after the
// verify read, what the final result is. No network here: the SNMP adapter feeds it readings.
// Secrets never leave this module in results: their expected and actual values are the words "set",
// "not-set" or "differs", and the device's answer is reduced to what it admits.
import { settingById, type PolicyValue, type SettingDef, type WireType, type WireValue } from './catalog.ts';
import { secretState } from './catalog-kinds.ts';
import type { Policy } from './policy.ts';

/** What the device said for one OID, already decoded by the adapter. `raw` is the device's own answer, short. */
export type Reading =
  | { kind: 'value'; type: string; value: WireValue; raw: string; bytes?: Uint8Array }
  | { kind: 'noSuchObject' | 'noSuchInstance' | 'endOfMibView'; raw: string }
  /** The device's reply did not carry this OID (or carried something undecodable). */
  | { kind: 'missing'; raw: string };

export type Readings = Readonly<Record<string, Reading>>;

/** What writing the policy's secret to a device's verify object said: it matched, it did not, or the object is not there. */
export type SecretCheck = 'match' | 'differs' | 'unavailable';

export interface SettingAssessment {
  id: string;
  oid: string;
  /** The policy value; for a secret, the word "set". */
  expected: PolicyValue;
  /** The device's value in policy terms; null when absent, of the wrong type or an unknown value. */
  actual: PolicyValue | null;
  supported: boolean;
  compliant: boolean;
  deviceAnswer: string;
  /** Why a value was not understood (a number outside the enumeration …), or how a secret was judged. */
  note?: string;
}

export interface RemediationStep {
  id: string;
  oid: string;
  wireType: WireType;
  wireValue: WireValue;
  expected: PolicyValue;
}

export type DeviceStatus = 'compliant' | 'non-compliant' | 'remediated' | 'unsupported' | 'unreachable' | 'auth-failed';

export type SettingOutcome =
  | 'compliant' // was right, left alone
  | 'remediated' // was wrong, written, verified right
  | 'non-compliant' // wrong and not (successfully) changed
  | 'unsupported' // the device lacks the object (noSuchObject/noSuchInstance)
  | 'rejected' // the device refused the SET for this object (notWritable, wrongValue, wrongType, ...), or the appliance refused to send it
  | 'not-verified'; // written, but the verify read did not come back

export interface SettingResult {
  id: string;
  oid: string;
  expected: PolicyValue;
  /** Value before any change (first read). */
  before: PolicyValue | null;
  /** Value after the run (verify read if there was a SET, else the first read). */
  actual: PolicyValue | null;
  changed: boolean;
  compliant: boolean;
  supported: boolean;
  outcome: SettingOutcome;
  /** The device's own answer to the last read of this object. */
  deviceAnswer: string;
  /** The device's answer to the SET, when it refused it. */
  setAnswer?: string;
  note?: string;
}

export interface AssessmentOutcome {
  status: DeviceStatus;
  settings: SettingResult[];
}

/** Settings in the policy, in catalog-independent policy order, with their OIDs. */
export function policyOids(policy: Policy): string[] {
  return Object.keys(policy.settings).map((id) => requireSetting(id).oid);
}

function requireSetting(id: string) {
  const def = settingById(id);
  // A stored policy was validated on the way in; an unknown id here is a programming error.
  if (!def) throw new Error(`policy names unknown setting ${JSON.stringify(id)}`);
  return def;
}

/** The secret settings of a policy that have a verify object, with the OID to write the candidate to. */
export function verifiableSecrets(policy: Policy): Array<{ id: string; verifyOid: string; candidate: string }> {
  return Object.entries(policy.settings).flatMap(([id, v]) => {
    const oid = requireSetting(id).secret?.verifyOid;
    return oid ? [{ id, verifyOid: oid, candidate: String(v) }] : [];
  });
}

function known(def: SettingDef): string {
  if (def.values) return def.values.map((v) => `${v.wire} ${v.name}`).join(', ');
  if (def.wire) return `${def.wire.on} on, ${def.wire.off} off`;
  return def.allowed;
}

function assessSecret(def: SettingDef, r: Reading, supported: boolean, check: SecretCheck | undefined): Omit<SettingAssessment, 'id' | 'oid'> {
  const answer = r.kind === 'value' && typeof r.value === 'string' ? r.value : undefined;
  const state = answer !== undefined && r.kind === 'value' && r.type === 'OctetString' ? secretState(def.secret!, answer) : undefined;
  // The device's own words only when they are the SET/NOT_SET (or state digit) a MIB promises; a device
  // that answers with anything else might be answering with the secret itself.
  const deviceAnswer = r.kind !== 'value' ? r.raw : state && /^(set|not[_ -]?set|[0-3])$/i.test(answer!.trim()) ? `OctetString ${JSON.stringify(answer!.trim())}`
    : `${r.type} (${answer === undefined ? 'not text' : 'a value, not shown'})`;
  if (state === 'set' && check === 'differs') {
    return { expected: 'set', actual: 'differs', supported, compliant: false, deviceAnswer, note: 'a secret is set, but the verify object says it is not the policy\'s' };
  }
  const note = state === 'set' ? (check === 'match' ? 'verified: the printer confirmed the policy\'s secret' : 'judged by "is set": the printer does not say which secret') : undefined;
  return { expected: 'set', actual: state ?? null, supported, compliant: supported && state === 'set', deviceAnswer, ...(note ? { note } : {}),
    ...(state === undefined && r.kind === 'value' ? { note: 'the answer is not one this setting knows' } : {}) };
}

export function assess(policy: Policy, readings: Readings, checks: Readonly<Record<string, SecretCheck>> = {}): SettingAssessment[] {
  return Object.entries(policy.settings).map(([id, expected]) => {
    const def = requireSetting(id);
    const r: Reading = readings[def.oid] ?? { kind: 'missing', raw: 'no varbind in reply' };
    const supported = r.kind !== 'noSuchObject' && r.kind !== 'noSuchInstance' && r.kind !== 'endOfMibView';
    if (def.valueType === 'secret') return { id, oid: def.oid, ...assessSecret(def, r, supported, checks[id]) };
    // A value of the wrong SNMP type is read as "unknown": non-compliant, and the SET will say more.
    const typed = r.kind === 'value' && r.type === def.wireType;
    const actual = typed ? (def.fromWire(r.value, r.bytes) ?? null) : null;
    // A number the MIB does not name is reported as such, never rounded to a known value.
    const note = r.kind === 'value' && actual === null
      ? (typed ? `${r.raw} is not a value this setting knows (${known(def)})` : `${r.type} is not the ${def.wireType} this setting uses`) : undefined;
    return { id, oid: def.oid, expected, actual, supported, compliant: supported && actual === expected, deviceAnswer: r.raw, ...(note ? { note } : {}) };
  });
}

/**
 * Only supported, non-compliant settings; absent settings are never touched because they are not here.
 * The policy supplies the values to write (secrets are masked in the assessments).
 */
export function remediationPlan(assessments: readonly SettingAssessment[], policy?: Policy): RemediationStep[] {
  return assessments
    .filter((a) => a.supported && !a.compliant)
    .map((a) => {
      const def = requireSetting(a.id);
      const value = policy ? policy.settings[a.id] : a.expected;
      if (def.valueType === 'secret' && !policy) throw new Error(`the plan for secret ${a.id} needs the policy`);
      return { id: a.id, oid: a.oid, wireType: def.wireType, wireValue: def.toWire(value), expected: a.expected };
    });
}

export interface FinalizeInput {
  initial: readonly SettingAssessment[];
  /** The steps that were sent in a SET the device accepted. */
  written: readonly RemediationStep[];
  /** Setting id → the device's answer for SETs it refused. */
  rejected: Readonly<Record<string, string>>;
  /** Assessment of the verify read; undefined when no SET was sent or the verify read failed. */
  verified?: readonly SettingAssessment[];
}

export function finalize(input: FinalizeInput): AssessmentOutcome {
  const written = new Set(input.written.map((s) => s.id));
  const after = new Map((input.verified ?? []).map((a) => [a.id, a]));
  const settings = input.initial.map((first): SettingResult => {
    const last = after.get(first.id) ?? first;
    const base = {
      id: first.id,
      oid: first.oid,
      expected: first.expected,
      before: first.actual,
      actual: last.actual,
      supported: first.supported,
      compliant: last.compliant,
      deviceAnswer: last.deviceAnswer,
      ...(last.note ? { note: last.note } : {}),
    };
    if (!first.supported) return { ...base, compliant: false, changed: false, outcome: 'unsupported' };
    const setAnswer = input.rejected[first.id];
    if (setAnswer !== undefined) return { ...base, changed: false, outcome: 'rejected', setAnswer };
    if (written.has(first.id)) {
      if (!input.verified) return { ...base, actual: null, compliant: false, changed: false, outcome: 'not-verified' };
      return { ...base, changed: last.actual !== first.actual, outcome: last.compliant ? 'remediated' : 'non-compliant' };
    }
    return { ...base, changed: false, outcome: last.compliant ? 'compliant' : 'non-compliant' };
  });
  return { status: deviceStatus(settings), settings };
}

/**
 * One word for the device: any setting left wrong makes it non-compliant; otherwise a change makes it
 * remediated; a device lacking every setting of the policy is unsupported; else compliant. A device
 * lacking only some settings is judged on the rest (the per-setting outcome says `unsupported`).
 */
export function deviceStatus(settings: readonly SettingResult[]): DeviceStatus {
  const bad: SettingOutcome[] = ['non-compliant', 'rejected', 'not-verified'];
  if (settings.some((s) => bad.includes(s.outcome))) return 'non-compliant';
  if (settings.some((s) => s.outcome === 'remediated')) return 'remediated';
  if (settings.length > 0 && settings.every((s) => s.outcome === 'unsupported')) return 'unsupported';
  return 'compliant';
}

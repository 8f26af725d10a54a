// Assessment is a pure diff between a policy and what a device answered. It decides what is compliant,
// what the device lacks, which values to write (only the non-compliant, supported ones) and, after the
// verify read, what the final result is. No network here: the SNMP adapter feeds it readings.
import { settingById, type PolicyValue, type WireType, type WireValue } from './catalog.ts';
import type { Policy } from './policy.ts';

/** What the device said for one OID, already decoded by the adapter. `raw` is the device's own answer, short. */
export type Reading =
  | { kind: 'value'; type: string; value: WireValue; raw: string }
  | { kind: 'noSuchObject' | 'noSuchInstance' | 'endOfMibView'; raw: string }
  /** The device's reply did not carry this OID (or carried something undecodable). */
  | { kind: 'missing'; raw: string };

export type Readings = Readonly<Record<string, Reading>>;

export interface SettingAssessment {
  id: string;
  oid: string;
  expected: PolicyValue;
  /** The device's value in policy terms; null when absent, of the wrong type or an unknown value. */
  actual: PolicyValue | null;
  supported: boolean;
  compliant: boolean;
  deviceAnswer: string;
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
  | 'rejected' // the device refused the SET for this object (notWritable, wrongValue, wrongType, ...)
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

export function assess(policy: Policy, readings: Readings): SettingAssessment[] {
  return Object.entries(policy.settings).map(([id, expected]) => {
    const def = requireSetting(id);
    const r: Reading = readings[def.oid] ?? { kind: 'missing', raw: 'no varbind in reply' };
    const supported = r.kind !== 'noSuchObject' && r.kind !== 'noSuchInstance' && r.kind !== 'endOfMibView';
    // A value of the wrong SNMP type is read as "unknown": non-compliant, and the SET will say more.
    const actual = r.kind === 'value' && r.type === def.wireType ? (def.fromWire(r.value) ?? null) : null;
    return { id, oid: def.oid, expected, actual, supported, compliant: supported && actual === expected, deviceAnswer: r.raw };
  });
}

/** Only supported, non-compliant settings; absent settings are never touched because they are not here. */
export function remediationPlan(assessments: readonly SettingAssessment[]): RemediationStep[] {
  return assessments
    .filter((a) => a.supported && !a.compliant)
    .map((a) => {
      const def = requireSetting(a.id);
      return { id: a.id, oid: a.oid, wireType: def.wireType, wireValue: def.toWire(a.expected), expected: a.expected };
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

// The three steps under one credential: read every policy OID, write only what differs, read again.
// Batched by default (GET, SET, GET); in compatibility mode one round trip per setting, the way the
// vendor product talks to printers (the benchmark's baseline).
import type { Varbind } from 'net-snmp';
import {
  assess,
  finalize,
  policyOids,
  remediationPlan,
  verifiableSecrets,
  type AssessmentOutcome,
  type Reading,
  type Readings,
  type RemediationStep,
  type SecretCheck,
} from '../policy/index.ts';
import { settingById, type PolicyValue } from '../policy/index.ts';
import type { FieldError, Policy } from '../policy/index.ts';
import type { RequestFailure, SnmpSession } from './session.ts';
import { readingsFor, toReading, toVarbind } from './varbind.ts';

export type RunOutcome =
  | { ok: true; outcome: AssessmentOutcome }
  /** `stage` says how far it got: a failure at `read` means nothing was learned or changed. */
  | { ok: false; stage: 'read' | 'write' | 'verify'; failure: RequestFailure; outcome?: AssessmentOutcome };

type ReadResult = { ok: true; readings: Record<string, Reading> } | { ok: false; failure: RequestFailure };

/**
 * GET all OIDs; halve the batch when the agent says tooBig; drop a varbind the agent blames with an
 * error-status (v1-style noSuchName and the like) and ask again for the rest.
 */
async function readAll(session: SnmpSession, oids: string[], compatibility: boolean): Promise<ReadResult> {
  if (compatibility && oids.length > 1) {
    const readings: Record<string, Reading> = {};
    for (const oid of oids) {
      const r = await readAll(session, [oid], false);
      if (!r.ok) return r;
      Object.assign(readings, r.readings);
    }
    return { ok: true, readings };
  }
  if (oids.length === 0) return { ok: true, readings: {} };
  const reply = await session.get(oids);
  if (reply.ok) return { ok: true, readings: readingsFor(oids, reply.varbinds) };
  const f = reply.failure;
  if (f.kind === 'too-big') {
    // Even one OID too big to answer: that value cannot be read; say so and go on with the rest.
    if (oids.length === 1) return { ok: true, readings: { [oids[0]]: { kind: 'missing', raw: f.detail } } };
    const mid = Math.ceil(oids.length / 2);
    const a = await readAll(session, oids.slice(0, mid), false);
    if (!a.ok) return a;
    const b = await readAll(session, oids.slice(mid), false);
    if (!b.ok) return b;
    return { ok: true, readings: { ...a.readings, ...b.readings } };
  }
  if (f.kind === 'error-status') {
    const blamed = f.oid && oids.includes(f.oid) ? f.oid : oids.length === 1 ? oids[0] : undefined;
    if (!blamed) return { ok: false, failure: f };
    // SNMPv1-style agents say noSuchName for an object they lack.
    const reading: Reading = f.status === 'NoSuchName' ? { kind: 'noSuchObject', raw: f.detail } : { kind: 'missing', raw: f.detail };
    const rest = await readAll(session, oids.filter((o) => o !== blamed), false);
    if (!rest.ok) return rest;
    return { ok: true, readings: { ...rest.readings, [blamed]: reading } };
  }
  return { ok: false, failure: f };
}

const WHOLE_PDU_REFUSALS = new Set(['NoAccess', 'AuthorizationError']);

type WriteResult = { ok: true; written: RemediationStep[]; rejected: Record<string, string> } | { ok: false; failure: RequestFailure };

/**
 * One SET with every step. SNMP SETs are all-or-nothing, so when the agent refuses one varbind, that
 * setting is recorded as rejected (with the agent's answer) and the others are sent again without it.
 */
async function writeAll(session: SnmpSession, steps: RemediationStep[], compatibility: boolean): Promise<WriteResult> {
  if (compatibility && steps.length > 1) {
    const written: RemediationStep[] = [];
    const rejected: Record<string, string> = {};
    for (const step of steps) {
      const r = await writeAll(session, [step], false);
      if (!r.ok) return r;
      written.push(...r.written);
      Object.assign(rejected, r.rejected);
    }
    return { ok: true, written, rejected };
  }
  if (steps.length === 0) return { ok: true, written: [], rejected: {} };
  const varbinds: Varbind[] = steps.map(toVarbind);
  const reply = await session.set(varbinds);
  if (reply.ok) return { ok: true, written: steps, rejected: {} };
  const f = reply.failure;
  if (f.kind === 'too-big' && steps.length > 1) {
    const mid = Math.ceil(steps.length / 2);
    const a = await writeAll(session, steps.slice(0, mid), false);
    if (!a.ok) return a;
    const b = await writeAll(session, steps.slice(mid), false);
    if (!b.ok) return b;
    return { ok: true, written: [...a.written, ...b.written], rejected: { ...a.rejected, ...b.rejected } };
  }
  if (f.kind === 'error-status') {
    const blamed = steps.find((s) => s.oid === f.oid) ?? (steps.length === 1 ? steps[0] : undefined);
    // noAccess / authorizationError mean this credential may not write at all (e.g. a read-only
    // community): retrying the rest one by one would only collect the same answer.
    if (!blamed || WHOLE_PDU_REFUSALS.has(f.status)) {
      // The agent refused the whole PDU without naming a varbind: nothing was written.
      return { ok: true, written: [], rejected: Object.fromEntries(steps.map((s) => [s.id, f.detail])) };
    }
    const rest = await writeAll(session, steps.filter((s) => s !== blamed), false);
    if (!rest.ok) return rest;
    return { ok: true, written: rest.written, rejected: { ...rest.rejected, [blamed.id]: f.detail } };
  }
  return { ok: false, failure: f };
}

// A verify object answers a wrong candidate with an error; these statuses mean "not this secret".
const MISMATCH = new Set(['GeneralError', 'BadValue', 'WrongValue', 'InconsistentValue']);

/**
 * Writes the policy's secret to each verify object (a write that changes nothing: the printer compares it)
 * for secrets the device says are set. One SET for all of them; a varbind the device blames is judged and
 * the rest are asked again.
 */
async function checkSecrets(session: SnmpSession, policy: Policy, readings: Readings, compatibility: boolean): Promise<Record<string, SecretCheck>> {
  const items = verifiableSecrets(policy).filter((x) => {
    const r = readings[settingById(x.id)!.oid];
    return r?.kind === 'value' && typeof r.value === 'string' && /^set$/i.test(r.value.trim());
  });
  const out: Record<string, SecretCheck> = {};
  let left = items;
  while (left.length) {
    const batch = compatibility ? left.slice(0, 1) : left;
    const reply = await session.set(batch.map((x) => toVarbind({ oid: x.verifyOid, wireType: 'OctetString', wireValue: x.candidate })));
    if (reply.ok) {
      // Some agents answer a SET of an object they lack with noSuchObject in a reply without an error-status.
      const lacking = new Set(reply.varbinds.filter((vb) => toReading(vb).kind !== 'value').map((vb) => vb.oid));
      for (const x of batch) out[x.id] = lacking.has(x.verifyOid) ? 'unavailable' : 'match';
      left = left.slice(batch.length);
      continue;
    }
    const f = reply.failure;
    const blamed = f.kind === 'error-status' ? batch.find((x) => x.verifyOid === f.oid) ?? (batch.length === 1 ? batch[0] : undefined) : undefined;
    if (!blamed || f.kind !== 'error-status') { for (const x of batch) out[x.id] = 'unavailable'; left = left.slice(batch.length); continue; }
    out[blamed.id] = MISMATCH.has(f.status) ? 'differs' : 'unavailable';
    left = left.filter((x) => x !== blamed);
  }
  return out;
}

export interface RunOptions {
  /** This appliance's address as the device sees it, for settings whose policy value is "this-appliance". */
  applianceAddress?: () => Promise<string>;
  /** Refusals for writes that would cut the appliance off (policy/guards.ts with this device's credentials). */
  guard?: (settings: Record<string, PolicyValue>) => FieldError[];
}

/** The policy with "this-appliance" replaced by the address the device reaches this appliance at. */
async function resolvePlaceholders(policy: Policy, opts: RunOptions): Promise<Policy> {
  const ids = Object.keys(policy.settings).filter((id) => policy.settings[id] === 'this-appliance' && settingById(id)?.acceptsThisAppliance);
  if (!ids.length) return policy;
  if (!opts.applianceAddress) throw new Error('the policy says "this-appliance" and no appliance address is known');
  const address = await opts.applianceAddress();
  return { ...policy, settings: { ...policy.settings, ...Object.fromEntries(ids.map((id) => [id, address])) } };
}

export async function runCompliance(session: SnmpSession, given: Policy, remediate: boolean, compatibility: boolean, opts: RunOptions = {}): Promise<RunOutcome> {
  const policy = await resolvePlaceholders(given, opts);
  const oids = policyOids(policy);
  const first = await readAll(session, oids, compatibility);
  if (!first.ok) return { ok: false, stage: 'read', failure: first.failure };
  const initial = assess(policy, first.readings, await checkSecrets(session, policy, first.readings, compatibility));
  const planned = remediationPlan(initial, policy);
  if (!remediate || planned.length === 0) return { ok: true, outcome: finalize({ initial, written: [], rejected: {} }) };

  // Second line behind policy validation: this device's own credentials decide what may not be written.
  const refusals = opts.guard?.(Object.fromEntries(planned.map((s) => [s.id, policy.settings[s.id]]))) ?? [];
  const refused: Record<string, string> = Object.fromEntries(refusals.map((r) => [r.field.replace(/^settings\./, ''), `not sent by this appliance: ${r.message}`]));
  const plan = planned.filter((s) => !(s.id in refused));
  if (plan.length === 0) return { ok: true, outcome: finalize({ initial, written: [], rejected: refused }) };

  const write = await writeAll(session, plan, compatibility);
  if (!write.ok) {
    // The SET may or may not have landed; the settings say "not-verified" until the next run reads them.
    return { ok: false, stage: 'write', failure: write.failure, outcome: finalize({ initial, written: plan, rejected: refused }) };
  }
  const rejected = { ...refused, ...write.rejected };
  if (write.written.length === 0) return { ok: true, outcome: finalize({ initial, written: [], rejected }) };

  const verify = await readAll(session, oids, compatibility);
  if (!verify.ok) {
    return { ok: false, stage: 'verify', failure: verify.failure, outcome: finalize({ initial, written: write.written, rejected }) };
  }
  const verified = assess(policy, verify.readings, await checkSecrets(session, policy, verify.readings, compatibility));
  return { ok: true, outcome: finalize({ initial, written: write.written, rejected, verified }) };
}

// The three steps under one credential: read every policy OID, write only what differs, read again.
// Batched by default (GET, SET, GET); in compatibility mode one round trip per setting, the way the
// vendor product talks to printers (the benchmark's baseline).
import type { Varbind } from 'net-snmp';
import {
  assess,
  finalize,
  policyOids,
  remediationPlan,
  type AssessmentOutcome,
  type Reading,
  type RemediationStep,
} from '../policy/assessment.ts';
import type { Policy } from '../policy/policy.ts';
import type { RequestFailure, SnmpSession } from './session.ts';
import { readingsFor, toVarbind } from './varbind.ts';

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

export async function runCompliance(session: SnmpSession, policy: Policy, remediate: boolean, compatibility: boolean): Promise<RunOutcome> {
  const oids = policyOids(policy);
  const first = await readAll(session, oids, compatibility);
  if (!first.ok) return { ok: false, stage: 'read', failure: first.failure };
  const initial = assess(policy, first.readings);
  const plan = remediationPlan(initial);
  if (!remediate || plan.length === 0) return { ok: true, outcome: finalize({ initial, written: [], rejected: {} }) };

  const write = await writeAll(session, plan, compatibility);
  if (!write.ok) {
    // The SET may or may not have landed; the settings say "not-verified" until the next run reads them.
    return { ok: false, stage: 'write', failure: write.failure, outcome: finalize({ initial, written: plan, rejected: {} }) };
  }
  if (write.written.length === 0) return { ok: true, outcome: finalize({ initial, written: [], rejected: write.rejected }) };

  const verify = await readAll(session, oids, compatibility);
  if (!verify.ok) {
    return { ok: false, stage: 'verify', failure: verify.failure, outcome: finalize({ initial, written: write.written, rejected: write.rejected }) };
  }
  const verified = assess(policy, verify.readings);
  return { ok: true, outcome: finalize({ initial, written: write.written, rejected: write.rejected, verified }) };
}

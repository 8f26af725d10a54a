// Entry point for the task engine: assess one device against a policy (and fix it when asked),
// trying its credentials in order until one gets an answer. Logs and results name credentials by
// label (device / default / global[i]), never by secret.
import type { DeviceStatus, SettingResult } from '../policy/index.ts';
import { validatePolicy, type FieldError, type Policy } from '../policy/index.ts';
import type { Logger } from '../util/log.ts';
import { guardRefusals } from '../policy/index.ts';
import { runCompliance, type RunOutcome } from './compliance-run.ts';
import { candidates, credentialFacts, credentialLabel, describeCredential, type CredentialRef, type CredentialSet } from './credentials.ts';
import { localAddressToward } from './local-address.ts';
import { SnmpSession } from './session.ts';

export interface AssessRequest {
  host: string;
  /** Default 161. */
  port?: number;
  credentials: CredentialSet;
  policy: Policy;
  /** false: read and diff only. */
  remediate: boolean;
  /** Per attempt; default 2000. A dead device costs timeoutMs × (retries + 1) per credential tried. */
  timeoutMs?: number;
  /** Default 1. */
  retries?: number;
  /** One round trip per setting, like the vendor product (benchmark baseline). */
  compatibility?: boolean;
}

export interface CredentialAttempt {
  credential: string;
  outcome: 'answered' | 'unreachable' | 'auth-failed' | 'invalid';
  detail: string;
}

export interface AssessResult {
  status: DeviceStatus;
  settings: SettingResult[];
  /** The credential that got an answer; remember it per device (pass it back as `credentials.preferred`). */
  credential?: CredentialRef;
  attempts: CredentialAttempt[];
  /** Datagrams sent, including retries and v3 engine discovery. Batched v2c: 3 for GET, SET, GET. */
  roundTrips: number;
  durationMs: number;
  /** Device-level explanation for unreachable / auth-failed / a failure after the first read. */
  detail?: string;
}

const validPolicies = new WeakSet<Policy>();

/** Thrown (the only rejection) when the caller passes a policy that does not validate against the catalog. */
export class InvalidPolicyError extends Error {
  readonly code = 'POLICY_INVALID';
  constructor(readonly errors: FieldError[]) {
    super(`invalid policy: ${errors.map((e) => `${e.field} ${e.message}`).join('; ')}`);
    this.name = 'InvalidPolicyError';
  }
}

/**
 * Never rejects for anything a device or the network does: every such problem is a status with a
 * detail. Rejects only with InvalidPolicyError.
 */
export async function assessAndRemediate(req: AssessRequest, log: Logger): Promise<AssessResult> {
  const started = performance.now();
  const timeoutMs = req.timeoutMs ?? 2000;
  const retries = req.retries ?? 1;
  const port = req.port ?? 161;
  const attempts: CredentialAttempt[] = [];
  let roundTrips = 0;
  const done = (r: Omit<AssessResult, 'attempts' | 'roundTrips' | 'durationMs'>): AssessResult => {
    const result = { ...r, attempts, roundTrips, durationMs: Math.round(performance.now() - started) };
    log.info(
      { host: req.host, port, status: result.status, credential: r.credential && credentialLabel(r.credential), roundTrips, durationMs: result.durationMs },
      'snmp assessment finished',
    );
    return result;
  };

  if (!validPolicies.has(req.policy)) {
    const checked = validatePolicy(req.policy);
    if (!checked.ok) throw new InvalidPolicyError(checked.errors);
    // One policy object is typically used for a whole fleet; validate it once.
    validPolicies.add(req.policy);
  }
  const list = candidates(req.credentials);
  if (list.length === 0) return done({ status: 'auth-failed', settings: [], detail: 'no SNMP credential configured' });
  // The guards judge writes against every credential this device may be reached with, not only the one
  // that answers now: SNMPv3 may take over from v2c on the next run.
  const facts = { credentials: list.map((c) => credentialFacts(c.credential)) };
  const runOptions = { guard: (settings: Record<string, unknown>) => guardRefusals(settings, facts), applianceAddress: () => localAddressToward(req.host, port) };

  for (const { ref, credential } of list) {
    const label = credentialLabel(ref);
    let session: SnmpSession | undefined;
    let run: RunOutcome;
    try {
      session = new SnmpSession({ host: req.host, port, timeoutMs, retries }, credential);
      run = await runCompliance(session, req.policy, req.remediate, req.compatibility ?? false, runOptions);
    } catch (error) {
      // A bug or a library surprise must cost this device one result, not the task engine its process.
      log.error({ host: req.host, err: error }, 'snmp adapter error');
      run = { ok: false, stage: 'read', failure: { kind: 'invalid', detail: `adapter error: ${(error as Error)?.message ?? String(error)}` } };
    } finally {
      if (session) {
        roundTrips += session.roundTrips;
        session.close();
      }
    }
    if (run.ok) {
      attempts.push({ credential: label, outcome: 'answered', detail: 'ok' });
      return done({ ...run.outcome, credential: ref });
    }
    const f = run.failure;
    const outcome = f.kind === 'unreachable' || f.kind === 'auth-failed' ? f.kind : 'invalid';
    attempts.push({ credential: label, outcome, detail: f.detail });
    log.debug({ host: req.host, credential: label, ...describeCredential(credential), failure: f.kind, stage: run.stage }, 'snmp attempt failed');
    if (run.stage !== 'read') {
      // The device answered under this credential and then failed mid-way: another credential would
      // not undo that, so report it with what was learned.
      const status: DeviceStatus = f.kind === 'auth-failed' ? 'auth-failed' : f.kind === 'unreachable' ? 'unreachable' : 'non-compliant';
      return done({ status, settings: run.outcome?.settings ?? [], credential: ref, detail: `${run.stage}: ${f.detail}` });
    }
    if (f.kind !== 'unreachable' && f.kind !== 'auth-failed') {
      // A garbled or refused first read is the device's problem, not the credential's; nothing could be
      // assessed, so it is reported like a device that cannot be talked to, with the device's answer.
      return done({ status: 'unreachable', settings: [], credential: ref, detail: `read: ${f.detail}` });
    }
  }
  // No credential got an answer. If any attempt was refused by the agent, the device is there and the
  // credentials are wrong; if all timed out it may be down, or (v2c) a wrong community that real agents
  // silently drop — SNMP cannot tell those apart.
  const authFailed = attempts.some((a) => a.outcome === 'auth-failed');
  return done({
    status: authFailed ? 'auth-failed' : 'unreachable',
    settings: [],
    detail: attempts.map((a) => `${a.credential}: ${a.detail}`).join('; '),
  });
}

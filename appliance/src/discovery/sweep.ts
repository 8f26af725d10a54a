// One discovery job, run as a task of type `discovery` by the task engine: the addresses of its targets,
// probed at most `rate` a second with at most `concurrency` conversations in flight; every answer qualified
// over SNMP (snmp/qualify.ts); every printer recorded through the registry under its serial (one device
// however found). Progress counts go out as the task's progress; what was found is handed to the hooks
// (autogroup trigger B) and, when asked, to an assessment of the new printers with a chosen policy.
import { isIPv4 } from 'node:net';
import type { Logger } from '../util/log.ts';
import type { DeviceRegistry } from '../devices/index.ts';
import type { Device } from '../devices/index.ts';
import type { CredentialSet } from '../snmp/index.ts';
import { candidates } from '../snmp/index.ts';
import type { Qualification, QualifyRequest } from '../snmp/index.ts';
import type { TaskProgress, TaskRecord } from '../tasks/index.ts';
import type { TaskRun, TaskRunner } from '../tasks/index.ts';
import { addressProblem, parseTarget, plan, type Target, type Way } from './targets.ts';
import { Pacer } from './pacer.ts';

export interface DiscoveryParams {
  targets: string[];
  snmpPort: number;
  /** Host names resolved when the job was asked for (a schedule resolves at each run instead). */
  resolved?: Record<string, string>;
  /** Forces the way every found printer is recorded with (a schedule's sweep is 'discovery'). */
  way?: Way;
  /** Assess (and remediate) the printers this job found for the first time. */
  after?: { policyId: string; remediate: boolean };
}

export interface DiscoveryLimits { rate: number; concurrency: number; timeoutMs: number; retries: number; maxAddresses: number }

/** What the hook gets once a job has recorded what it found (trigger B of the autogroups). */
export interface DiscoveryFound {
  task: TaskRecord;
  /** Printers this job made known. */
  newSerials: string[];
  /** Known printers whose attributes (address, model…) this job changed. */
  updatedSerials: string[];
  /** Known printers found again unchanged. */
  unchangedSerials: string[];
}

export interface SweepDeps {
  registry: DeviceRegistry;
  credentials: { forDevice(serial: string, preferred?: Device['credentialRef']): Promise<CredentialSet>; general(): Promise<CredentialSet> };
  qualify: (req: QualifyRequest) => Promise<{ result: Qualification; packets: number }>;
  resolve: (names: string[]) => Promise<Map<string, { address: string } | { error: string }>>;
  limits: () => DiscoveryLimits;
  /** Awaited in order; a hook that throws is logged and never fails the job. */
  found: (e: DiscoveryFound) => Promise<void>;
  assess: (policyId: string, serials: string[], remediate: boolean, trigger: string) => Promise<{ id: string }>;
  /** Why SNMP to this device is held (strictDeviceIdentity): its own credential then goes nowhere, not even in a sweep. */
  held?: (device: Device) => unknown;
  log: Logger;
}

/** Lists in a task's result are bounded: a sweep of 4,096 routers must not make a 4,096-entry record. */
const LISTED = 200;
/** UDP sockets a sweep may hold at once (below the common 1,024 open-file limit, with room for the rest). */
const MAX_SOCKETS = 768;

export type DiscoveryCounts = TaskProgress & { found: number; new: number; updated: number; unchanged: number; notPrinter: number;
  noAnswer: number; authFailed: number; unidentified: number; errors: number; packets: number };

export interface DiscoveryResult {
  notPrinters: Array<{ address: string; sysDescr: string; sysObjectID: string }>;
  unidentified: Array<{ address: string; detail: string; model?: string }>;
  authFailed: string[];
  errors: Array<{ target: string; message: string }>;
  durationMs?: number;
  assessmentTaskId?: string;
}

export function discoveryRunner(deps: SweepDeps): TaskRunner {
  return async (run: TaskRun) => {
    const t = run.task;
    const p = t.params as DiscoveryParams;
    const started = performance.now();
    const limits = deps.limits();
    const result: DiscoveryResult = { notPrinters: [], unidentified: [], authFailed: [], errors: [] };
    // A run repeated after a restart starts over: its earlier partial counts would be double-counted.
    t.result = result;
    t.serials = [];
    t.outcomes = {};
    const targets: Target[] = [];
    for (const text of p.targets) {
      const r = parseTarget(text);
      if (r.ok) targets.push(r.target); else result.errors.push({ target: text, message: r.message });
    }
    const names = targets.flatMap((x) => (x.kind === 'hostname' ? [x.name] : []));
    const resolved = new Map(Object.entries(p.resolved ?? {}));
    const unresolved = names.filter((n) => !resolved.has(n));
    if (unresolved.length) {
      for (const [name, r] of await deps.resolve(unresolved)) {
        // A schedule resolves its names at each run: the answer may have changed since the schedule was checked.
        const bad = 'address' in r ? addressProblem(r.address) : undefined;
        if ('address' in r && !bad) resolved.set(name, r.address);
        else result.errors.push({ target: name, message: 'address' in r ? `resolves to ${r.address}, which ${bad}` : r.error });
      }
    }
    const work = plan(targets, resolved, { way: p.way });
    if (work.total > limits.maxAddresses) throw new Error(`the targets make ${work.total} addresses; a job may probe at most ${limits.maxAddresses} (discoveryMaxAddresses)`);
    const c: DiscoveryCounts = { done: 0, total: work.total, found: 0, new: 0, updated: 0, unchanged: 0, notPrinter: 0, noAnswer: 0, authFailed: 0,
      unidentified: 0, errors: result.errors.length, packets: 0 };
    run.progress({ ...c });

    // Where a known device lives, its own credential is tried first (device → default → global). Where it
    // lives is where it announced from (peerAddress), never the address its announcement merely claimed, and
    // a device held for a changed identity is not known here: its credential must not reach the impostor
    // through a sweep any more than through an assessment.
    const known = new Map<string, Device>();
    for (const d of deps.registry.list()) {
      if (!d.peerAddress || deps.held?.(d)) continue;
      known.set(d.peerAddress.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '').toLowerCase(), d);
    }
    const general = await deps.credentials.general();
    const seen = new Map<string, 'new' | 'updated' | 'unchanged'>();
    const pacer = new Pacer(() => deps.limits().rate);
    const iterator = work.addresses();

    const probe = async (address: string, way: Way) => {
      const device = known.get(address);
      const set = device ? await deps.credentials.forDevice(device.serialNumber, device.credentialRef) : general;
      const { timeoutMs, retries } = deps.limits();
      const { result: q, packets } = await deps.qualify({ host: address, port: p.snmpPort, candidates: candidates(set), timeoutMs, retries });
      c.packets += packets;
      switch (q.kind) {
        case 'no-answer': c.noAnswer++; break;
        case 'auth-failed': c.authFailed++; if (result.authFailed.length < LISTED) result.authFailed.push(address); break;
        case 'not-printer': c.notPrinter++; if (result.notPrinters.length < LISTED) result.notPrinters.push({ address, sysDescr: q.sysDescr, sysObjectID: q.sysObjectID }); break;
        case 'unidentified': c.unidentified++; if (result.unidentified.length < LISTED) result.unidentified.push({ address, detail: q.detail, model: q.model }); break;
        case 'printer': {
          const serial = q.printer.serialNumber;
          // One printer answering on two addresses (IPv4 and IPv6, two interfaces) is found once.
          if (seen.has(serial)) break;
          seen.set(serial, 'unchanged');
          const r = await deps.registry.recordFound({ ...q.printer, address, snmpPort: p.snmpPort, credentialRef: q.credential,
            ipv4: isIPv4(address) ? address : undefined, ipv6: isIPv4(address) ? undefined : [address] }, way, t.id);
          const status = r.outcome === 'new' ? 'new' : r.outcome === 'changed' ? 'updated' : 'unchanged';
          seen.set(serial, status);
          c.found++; c[status]++;
          t.serials.push(serial);
          t.outcomes[serial] = { status, at: new Date().toISOString(), detail: `${address} (${way}${q.printer.vendor === 'other' ? ', not HP' : ''})` };
          break;
        }
      }
    };

    // Qualification never throws; what does (reading credentials, writing a device) is the store failing, which
    // fails the job at once rather than sweeping on without recording.
    let failure: unknown;
    const worker = async () => {
      for (let next = iterator.next(); !next.done && failure === undefined; next = iterator.next()) {
        if (!(await pacer.next(run.signal))) return;
        try { await probe(next.value.address, next.value.way); } catch (err) { failure ??= err; return; }
        c.done++;
        run.progress({ ...c });
      }
    };
    // Each conversation holds one UDP socket per credential tried at once: keep the sockets under a bound a
    // default file-descriptor limit allows (a socket that cannot be made would look like a silent address).
    const perAddress = Math.max(1, candidates(general).length + 1);
    const workers = Math.max(1, Math.min(limits.concurrency, Math.floor(MAX_SOCKETS / perAddress), work.total));
    if (workers < Math.min(limits.concurrency, work.total)) deps.log.info({ task: t.id, workers, credentials: perAddress - 1 }, 'fewer conversations at once: one socket per credential each');
    await Promise.all(Array.from({ length: workers }, worker));
    if (failure !== undefined) throw failure;
    result.durationMs = Math.round(performance.now() - started);
    run.progress({ ...c });
    deps.log.info({ task: t.id, ...c, durationMs: result.durationMs, cancelled: run.signal.aborted }, 'discovery finished');

    const list = (s: string) => [...seen].filter(([, v]) => v === s).map(([k]) => k);
    const found: DiscoveryFound = { task: t, newSerials: list('new'), updatedSerials: list('updated'), unchangedSerials: list('unchanged') };
    if (seen.size) await deps.found(found).catch((err) => deps.log.error({ task: t.id, err: (err as Error).message }, 'a discovery hook failed'));
    const fresh = found.newSerials.filter((s) => deps.registry.get(s)?.vendor !== 'other');
    if (p.after && fresh.length && !run.signal.aborted) {
      try {
        result.assessmentTaskId = (await deps.assess(p.after.policyId, fresh, p.after.remediate, `discovery:${t.id}`)).id;
      } catch (err) {
        // e.g. the policy was deleted while the sweep ran: the sweep's findings stand; the assessment is reported.
        result.errors.push({ target: 'after', message: `assessment not started: ${(err as Error).message}` });
      }
    }
    await run.save();
  };
}

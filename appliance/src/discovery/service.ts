// Discovery as the rest of the appliance sees it: check a request (every target parsed, host names
// resolved, the size capped) and start it as a `discovery` task; the scheduled action "discovery"; and the
// hook other rooms use to act on what a job found (autogroup trigger B: `discovery.onFound(fn)`).
import { EventEmitter } from 'node:events';
import type { Logger } from '../util/log.ts';
import type { DeviceRegistry } from '../devices/index.ts';
import type { TaskEngine } from '../tasks/index.ts';
import type { TaskRecord } from '../tasks/index.ts';
import type { ScheduleAction, ScheduleRecord } from '../tasks/index.ts';
import { ScheduleError, type ScheduleActionHandler } from '../tasks/index.ts';
import { qualify as snmpQualify } from '../snmp/index.ts';
import { addressProblem, countAddresses, parseTarget, plan, type Target } from './targets.ts';
import { MAX_HOST_NAMES, resolveNames, type Lookup } from './resolve.ts';
import { parseUpload } from './upload.ts';
import { discoveryRunner, type DiscoveryFound, type DiscoveryLimits, type DiscoveryParams, type SweepDeps } from './sweep.ts';

export interface DiscoveryRequest { targets: string[]; snmpPort?: number; assess?: { policyId: string; remediate: boolean } }

/** A refusal naming what to fix: `field` is targets[i], line N (uploads), targets, assess.policyId… */
export interface DiscoveryFieldError { field: string; message: string; line?: number }

export type Checked = { ok: true; params: DiscoveryParams; total: number } | { ok: false; code: string; errors: DiscoveryFieldError[] };

export interface DiscoveryDeps {
  tasks: TaskEngine;
  registry: DeviceRegistry;
  credentials: SweepDeps['credentials'];
  policyExists: (id: string) => boolean;
  limits: () => DiscoveryLimits;
  log: Logger;
  held?: SweepDeps['held'];
  /** Tests and benchmarks: another resolver or qualifier. */
  lookup?: Lookup;
  qualify?: SweepDeps['qualify'];
}

export type FoundHook = (e: DiscoveryFound) => void | Promise<void>;

export class Discovery extends EventEmitter<{ found: [DiscoveryFound] }> {
  private hooks = new Set<FoundHook>();

  constructor(private readonly deps: DiscoveryDeps) {
    super();
    deps.tasks.registerRunner('discovery', discoveryRunner({
      registry: deps.registry, credentials: deps.credentials, limits: deps.limits, log: deps.log, held: deps.held,
      qualify: deps.qualify ?? snmpQualify,
      resolve: (names) => resolveNames(names, { lookup: deps.lookup }),
      assess: (policyId, serials, remediate, trigger) => deps.tasks.createAssessment(policyId, serials, remediate, trigger),
      found: async (e) => {
        this.emit('found', e);
        for (const hook of this.hooks) {
          try { await hook(e); } catch (err) { deps.log.error({ task: e.task.id, err: (err as Error).message }, 'a discovery hook failed'); }
        }
      },
    }));
  }

  /**
   * The hook for what a job found (new, updated and unchanged serials, and the task), called once per job
   * after every printer is on disk and before any assessment of the new ones starts. Returns an unsubscribe.
   */
  onFound(hook: FoundHook): () => void {
    this.hooks.add(hook);
    return () => this.hooks.delete(hook);
  }

  /** Checks a request as given in the API; host names are resolved now, so one that does not resolve is a 400. */
  async check(req: DiscoveryRequest): Promise<Checked> {
    const parsed = req.targets.map((text, i) => ({ field: `targets[${i}]`, text, r: parseTarget(text) }));
    return this.finish(parsed.map((x) => (x.r.ok ? { field: x.field, target: x.r.target } : { field: x.field, error: `"${x.text.slice(0, 60)}" ${x.r.message}` })), req);
  }

  /** Checks an uploaded text or CSV list; errors name their line. */
  async checkUpload(text: string, opts: Omit<DiscoveryRequest, 'targets'>): Promise<Checked> {
    const up = parseUpload(text);
    if (!up.ok) {
      const errors = up.errors.map((e) => ({ field: `line ${e.line}`, line: e.line, message: `line ${e.line}: ${e.message}` }));
      if (up.total > up.errors.length) errors.push({ field: 'file', line: 0, message: `${up.total - up.errors.length} more lines are not valid either` });
      return { ok: false, code: 'invalid-upload', errors };
    }
    return this.finish(up.targets.map((t) => ({ field: `line ${t.line}`, line: t.line, target: t })), { ...opts, targets: up.targets.map((t) => t.text) });
  }

  async start(checked: Extract<Checked, { ok: true }>, trigger = 'manual'): Promise<TaskRecord> {
    return this.deps.tasks.createTask('discovery', { trigger, params: checked.params, policyId: checked.params.after?.policyId, remediate: checked.params.after?.remediate,
      progress: { done: 0, total: checked.total } });
  }

  /** Recent discovery jobs, newest first. */
  recent(limit = 20): TaskRecord[] { return this.deps.tasks.list({ type: 'discovery' }).slice(0, limit); }

  /** The scheduled action "discovery": a sweep whose printers are recorded as found by discovery. */
  scheduleAction(): ScheduleActionHandler {
    return {
      validate: (action) => {
        const targets = action.targets;
        if (!Array.isArray(targets) || targets.length === 0 || !targets.every((x) => typeof x === 'string')) throw new ScheduleError('invalid-targets', 'targets', 'targets must be a non-empty list of addresses, ranges, CIDRs or host names');
        const parsed: Target[] = [];
        targets.forEach((text: string, i) => { const r = parseTarget(text); if (!r.ok) throw new ScheduleError('invalid-targets', `targets[${i}]`, `"${text.slice(0, 60)}" ${r.message}`); parsed.push(r.target); });
        const hostNames = new Set(parsed.flatMap((x) => (x.kind === 'hostname' ? [x.name] : []))).size;
        if (hostNames > MAX_HOST_NAMES) throw new ScheduleError('too-many-host-names', 'targets', `the targets name ${hostNames} host names; a job may name at most ${MAX_HOST_NAMES}`);
        const total = countAddresses(parsed);
        const max = this.deps.limits().maxAddresses;
        if (total > max) throw new ScheduleError('too-many-addresses', 'targets', `the targets make ${total} addresses; a job may probe at most ${max} (setting discoveryMaxAddresses)`);
        // PUT /api/v1/schedules/:id takes any action object: what the discovery route's schema checks is checked here too.
        const port = action.snmpPort;
        if (port !== undefined && !(Number.isInteger(port) && (port as number) >= 1 && (port as number) <= 65535)) throw new ScheduleError('invalid-schedule', 'snmpPort', 'snmpPort must be a port number from 1 to 65535');
        const assess = action.assess as DiscoveryRequest['assess'] | undefined;
        if (assess !== undefined && (!assess || typeof assess !== 'object' || typeof assess.policyId !== 'string' || (assess.remediate !== undefined && typeof assess.remediate !== 'boolean'))) {
          throw new ScheduleError('invalid-schedule', 'assess', 'assess must be {"policyId": "…", "remediate": true|false}');
        }
        if (assess && !this.deps.policyExists(assess.policyId)) throw new ScheduleError('policy-not-found', 'assess.policyId', `no policy ${assess.policyId}`);
      },
      run: async (action: ScheduleAction, schedule: ScheduleRecord) => {
        const assess = action.assess as DiscoveryRequest['assess'] | undefined;
        const params: DiscoveryParams = { targets: action.targets as string[], snmpPort: Number(action.snmpPort ?? 161), way: 'discovery',
          after: assess && this.deps.policyExists(assess.policyId) ? assess : undefined };
        const task = await this.deps.tasks.createTask('discovery', { trigger: `schedule:${schedule.id}`, params, policyId: params.after?.policyId, remediate: params.after?.remediate });
        return { taskId: task.id };
      },
    };
  }

  private async finish(items: Array<{ field: string; line?: number; target?: Target; error?: string }>, req: DiscoveryRequest): Promise<Checked> {
    const errors: DiscoveryFieldError[] = items.filter((x) => x.error).map((x) => ({ field: x.field, line: x.line, message: x.error! }));
    const max = this.deps.limits().maxAddresses;
    const targets = items.flatMap((x) => (x.target ? [x] : []));
    // One target bigger than the cap is named on its own; the total is checked below.
    for (const x of targets) {
      const t = x.target!;
      if ((t.kind === 'range' || t.kind === 'cidr') && t.last - t.first + 1 > max) {
        errors.push({ field: x.field, line: x.line, message: `"${t.text}" is ${t.last - t.first + 1} addresses; a job may probe at most ${max} (setting discoveryMaxAddresses)` });
      }
    }
    if (req.assess && !this.deps.policyExists(req.assess.policyId)) errors.push({ field: 'assess.policyId', message: `no policy ${req.assess.policyId}` });
    if (errors.length) return { ok: false, code: 'invalid-targets', errors };
    const names = targets.flatMap((x) => (x.target!.kind === 'hostname' ? [x] : []));
    const distinct = new Set(names.map((x) => (x.target as Extract<Target, { kind: 'hostname' }>).name)).size;
    if (distinct > MAX_HOST_NAMES) {
      return { ok: false, code: 'too-many-host-names', errors: [{ field: 'targets', message: `the targets name ${distinct} host names; a job may name at most ${MAX_HOST_NAMES} (each is looked up; give addresses or ranges instead)` }] };
    }
    const resolved = new Map<string, string>();
    if (names.length) {
      const answers = await resolveNames(names.map((x) => (x.target as Extract<Target, { kind: 'hostname' }>).name), { lookup: this.deps.lookup });
      for (const x of names) {
        const name = (x.target as Extract<Target, { kind: 'hostname' }>).name;
        const a = answers.get(name);
        const bad = a && 'address' in a ? addressProblem(a.address) : undefined;
        if (a && 'address' in a && bad) errors.push({ field: x.field, line: x.line, message: `"${name}" resolves to ${a.address}, which ${bad}` });
        else if (a && 'address' in a) resolved.set(name, a.address);
        else errors.push({ field: x.field, line: x.line, message: `"${name}" ${a && 'error' in a ? a.error : 'does not resolve'}` });
      }
      if (errors.length) return { ok: false, code: 'unresolvable-host', errors };
    }
    const total = plan(targets.map((x) => x.target!), resolved).total;
    if (total > max) return { ok: false, code: 'too-many-addresses', errors: [{ field: 'targets', message: `the targets make ${total} addresses; a job may probe at most ${max} (setting discoveryMaxAddresses)` }] };
    return { ok: true, total, params: { targets: req.targets, snmpPort: req.snmpPort ?? 161, resolved: Object.fromEntries(resolved), after: req.assess } };
  }
}

// The four remediation triggers of the reference (white paper Part 3), each its own setting:
//   A  Instant-On     the Initial Assessment Policy, then the device's group policy (or, with
//                     skipInstantOnPolicy, only the group policy when there is one)
//   B  Discovery      a device found by discovery (sweep or manual address) that, in that change, joined
//                     an autogroup with a policy (the registry's device events say which way found it)
//   C  Interval       every autoGroupFilterExecutionFrequency after start: filters re-run, devices that
//                     joined an autogroup with a policy since the last run
//   D  Edit           an autogroup's filter or policy (or that policy itself) edited: every member
// B–D remediate each device with its group policy (its highest-priority group with a policy, so an edit of
// a lower group never undoes a higher one's settings), as assessment tasks named after that group; the
// engine drops devices that already have a task pending with the same policy (coalesced per device).
import type { Logger } from '../util/log.ts';
import type { Store } from '../store/index.ts';
import type { Device } from '../devices/index.ts';
import type { TaskGroup } from '../tasks/index.ts';
import type { Autogroups, FoundJoin, GroupEvent, GroupPolicy } from './autogroups.ts';

export interface TriggerSettings {
  /** A: the Instant-On switch and its policy. */
  allowAutomaticRemediation: boolean;
  initialPolicyId: string;
  skipInstantOnPolicy: boolean;
  /** B, C, D. */
  discovery: boolean;
  interval: boolean;
  /** C's period in ms (autoGroupFilterExecutionFrequency); null = malformed, the refresh does not run. */
  intervalMs: number | null;
  edit: boolean;
}

export type AutogroupTrigger = 'autogroup:discovery' | 'autogroup:interval' | 'autogroup:edit';

/** The part of the task engine the triggers use. */
export interface TaskPort {
  createAssessment(policyId: string, serials: string[], remediate: boolean, trigger: string, group?: TaskGroup): Promise<{ id: string }>;
  withoutPending(policyId: string, serials: string[]): string[];
}

/** What Instant-On applies to an announcing device, in order. */
export interface InstantOnPlan { policyIds: string[]; group?: GroupPolicy }

const REFRESH_KEY = 'refresh';

export class RemediationTriggers {
  private timer?: NodeJS.Timeout;
  private startedAt = 0;
  private lastRunAt = 0;
  private running = false;
  private queue: Promise<unknown> = Promise.resolve();
  readonly stats = { refreshRuns: 0, lastRefreshAt: null as string | null, tasks: { discovery: 0, interval: 0, edit: 0 } };
  private readonly onGroup = (e: GroupEvent) => void this.groupEdited(e).catch((err) => this.deps.log.error({ err: (err as Error).message }, 'trigger D failed'));
  private readonly onFoundJoin = (e: FoundJoin) => this.foundJoin(e);
  /** B: devices found by one sweep arrive one by one; they are remediated together a moment later. */
  private found = new Set<string>();
  private foundTimer?: NodeJS.Timeout;

  constructor(private readonly deps: {
    groups: Autogroups; tasks: TaskPort; settings: () => TriggerSettings; store: Store; log: Logger;
    policyExists: (id: string) => boolean; clock?: () => number; tickMs?: number; foundBatchMs?: number;
  }) {}

  async start(): Promise<void> {
    this.startedAt = this.now();
    // "Joined since the last run" survives a restart: a device that joined just before it is not forgotten.
    this.lastRunAt = (await this.deps.store.get<{ lastRunAt: number }>('autogroups', REFRESH_KEY))?.lastRunAt ?? this.startedAt;
    this.deps.groups.on('group', this.onGroup);
    this.deps.groups.on('foundJoin', this.onFoundJoin);
    this.timer = setInterval(() => void this.tick(), this.deps.tickMs ?? 1000);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    clearTimeout(this.foundTimer);
    this.deps.groups.off('group', this.onGroup);
    this.deps.groups.off('foundJoin', this.onFoundJoin);
  }

  /** When C runs next: the period after start, then after each run (a changed period applies at once). */
  nextRefreshAt(): number | null {
    const ms = this.deps.settings().intervalMs;
    return ms ? (this.stats.refreshRuns ? this.lastRunAt : this.startedAt) + ms : null;
  }

  /** A: which policies an accepted announcement gets; null when Instant-On remediation is off. */
  instantOnPlan(device: Device): InstantOnPlan | null {
    const s = this.deps.settings();
    if (!s.allowAutomaticRemediation || !s.initialPolicyId || !this.deps.policyExists(s.initialPolicyId)) return null;
    const group = this.deps.groups.policyGroupFor(device);
    if (!group) return { policyIds: [s.initialPolicyId] };
    if (s.skipInstantOnPolicy || group.policyId === s.initialPolicyId) return { policyIds: [group.policyId], group };
    return { policyIds: [s.initialPolicyId, group.policyId], group };
  }

  /** B: the device was found by discovery and, in that same change, joined an autogroup with a policy. */
  private foundJoin(e: FoundJoin) {
    if (!this.deps.settings().discovery) return;
    if (!e.groupIds.some((id) => { const g = this.deps.groups.index.group(id); return g?.kind === 'auto' && g.policyId; })) return;
    this.found.add(e.serial);
    this.foundTimer ??= setTimeout(() => void this.flushFound(), this.deps.foundBatchMs ?? 200);
  }

  /** B's batch now (also what a discovery task may call when it ends, so its devices need not wait). */
  async flushFound(): Promise<void> {
    clearTimeout(this.foundTimer);
    this.foundTimer = undefined;
    const serials = [...this.found];
    this.found.clear();
    if (serials.length) await this.remediate(serials, 'autogroup:discovery').catch((err) => this.deps.log.error({ err: (err as Error).message }, 'trigger B failed'));
  }

  /** C: re-run every filter; with C on, remediate the devices that joined an autogroup with a policy since the last run. */
  async refresh(): Promise<void> {
    if (this.running) return;
    this.running = true;
    try {
      const since = this.lastRunAt;
      await this.deps.groups.recompute('refresh');
      // Runs partition time into (last run, this run]: a join is counted by exactly one run.
      const at = this.now();
      if (this.deps.settings().interval) {
        const fresh = new Set<string>();
        for (const g of this.deps.groups.index.allGroups()) {
          if (g.kind !== 'auto' || !g.policyId) continue;
          for (const [serial, joinedAt] of this.deps.groups.index.memberList(g.id)) if (joinedAt > since && joinedAt <= at) fresh.add(serial);
        }
        await this.remediate([...fresh], 'autogroup:interval');
      }
      this.lastRunAt = at;
      this.stats.refreshRuns++;
      this.stats.lastRefreshAt = new Date(at).toISOString();
      await this.deps.store.commit([{ type: 'put', sublevel: this.deps.store.sub('autogroups'), key: REFRESH_KEY, value: { lastRunAt: at } }]);
    } finally {
      this.running = false;
    }
  }

  /** D for a policy edited in place: every member of every autogroup that uses it. */
  async policyEdited(policyId: string): Promise<void> {
    if (!this.deps.settings().edit) return;
    const serials = new Set<string>();
    for (const g of this.deps.groups.list()) if (g.kind === 'auto' && g.policyId === policyId) for (const [s] of this.deps.groups.index.memberList(g.id)) serials.add(s);
    await this.remediate([...serials], 'autogroup:edit');
  }

  private async groupEdited(e: GroupEvent): Promise<void> {
    const g = e.group;
    if (e.type === 'deleted' || g.kind !== 'auto' || !g.policyId || !this.deps.settings().edit) return;
    const changed = !e.before || e.before.kind !== 'auto' || e.before.policyId !== g.policyId || JSON.stringify(e.before.filter) !== JSON.stringify(g.filter);
    if (!changed) return; // a new name or priority alone is not an edit of what the group enforces
    await this.remediate(this.deps.groups.index.memberList(g.id).map(([s]) => s), 'autogroup:edit');
  }

  /**
   * One remediation task per group policy in play, without devices that already have it pending. One call
   * at a time: a task becomes visible to the pending check only once it is stored.
   */
  private remediate(serials: string[], trigger: AutogroupTrigger): Promise<void> {
    const run = this.queue.then(() => this.queueTasks(serials, trigger));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async queueTasks(serials: string[], trigger: AutogroupTrigger): Promise<void> {
    const byGroup = new Map<string, { policy: GroupPolicy; serials: string[] }>();
    for (const s of serials) {
      const p = this.deps.groups.policyGroupOf(s);
      if (!p) continue;
      const entry = byGroup.get(p.groupId) ?? { policy: p, serials: [] };
      entry.serials.push(s);
      byGroup.set(p.groupId, entry);
    }
    for (const { policy, serials: list } of byGroup.values()) {
      const todo = this.deps.tasks.withoutPending(policy.policyId, list);
      if (!todo.length) continue;
      const task = await this.deps.tasks.createAssessment(policy.policyId, todo, true, trigger, { groupId: policy.groupId, groupName: policy.groupName });
      this.stats.tasks[trigger.slice('autogroup:'.length) as 'discovery' | 'interval' | 'edit']++;
      this.deps.log.info({ trigger, task: task.id, group: policy.groupName, policy: policy.policyName, devices: todo.length, coalesced: list.length - todo.length }, 'autogroup remediation queued');
    }
  }

  private async tick() {
    const next = this.nextRefreshAt();
    if (next === null || this.now() < next) return;
    await this.refresh().catch((err) => this.deps.log.error({ err: (err as Error).message }, 'autogroup refresh failed'));
  }

  private now() { return (this.deps.clock ?? Date.now)(); }
}

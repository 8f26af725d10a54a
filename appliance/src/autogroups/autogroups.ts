// Groups and their members, kept current: groups are stored in the 'autogroups' sublevel (g!<id>), each
// device's memberships with the time each began (m!<serial>) in the same batch as the device-history entry
// that records the join or leave. A device change (any registry event: announcement, discovery, attribute
// or compliance change) re-evaluates that device; a group edit re-evaluates that group. Every join and
// leave is a 'membership' event (the wiring turns them into audit entries, live events and MQTT).
import { EventEmitter } from 'node:events';
import { randomUUID } from 'node:crypto';
import type { Logger } from '../util/log.ts';
import type { Store, StoreOp } from '../store/index.ts';
import type { DeviceEvent, DeviceRegistry } from '../devices/index.ts';
import type { Device, HistoryEntry } from '../devices/index.ts';
import { deviceFacts } from './facts.ts';
import { parseFilter } from './filter.ts';
import { GROUP_LIMITS, type GroupInput, type GroupRecord } from './group.ts';
import { MembershipIndex, type IndexedGroup } from './membership.ts';
import { eachLimited } from '../util/each-limited.ts';

export type MembershipCause = 'device' | 'device-removed' | 'group-created' | 'group-edited' | 'group-deleted' | 'refresh' | 'start';

export interface MembershipEvent { at: string; cause: MembershipCause; groupId: string; groupName: string; joined: string[]; left: string[] }
export interface GroupEvent { type: 'created' | 'updated' | 'deleted'; group: GroupRecord; before?: GroupRecord }

/** A device found by discovery (a sweep, or an address an admin gave) that joined groups in that change (trigger B). */
export interface FoundJoin { serial: string; groupIds: string[] }

export interface AutogroupsEvents { membership: [MembershipEvent]; group: [GroupEvent]; foundJoin: [FoundJoin] }

/** A request the API answers with 400 (or 404): details name the field. */
export class GroupError extends Error {
  constructor(readonly status: 400 | 404, readonly code: string, message: string, readonly details?: { field: string; message: string }[]) { super(message); }
}

export interface GroupPolicy { policyId: string; policyName: string; groupId: string; groupName: string; priority: number; reason: string }

export interface AutogroupsDeps {
  store: Store;
  registry: DeviceRegistry;
  policies: { get(id: string): { id: string; name: string } | undefined };
  log: Logger;
  clock?: () => number;
}

const GROUP = 'g!';
const MEMBERS = 'm!';
/**
 * Devices whose membership is written at once when a group change moves many: enough to fill the store's
 * group commit (a few fsyncs per thousand devices), few enough that a 10,000-device change neither holds
 * 10,000 device copies and batches in memory (+40 MB of heap, never given back to the OS) nor starts them all
 * in one turn of the event loop (150-180 ms on the bench machine).
 */
const PERSIST_IN_FLIGHT = 256;

export class Autogroups extends EventEmitter<AutogroupsEvents> {
  readonly index: MembershipIndex;
  private records = new Map<string, GroupRecord>();
  private editing: Promise<unknown> = Promise.resolve();
  private readonly onDevice = (e: DeviceEvent) => this.deviceChanged(e);
  private readonly onRemoved = (e: { serialNumber: string }) => this.deviceRemoved(e.serialNumber);

  constructor(private readonly deps: AutogroupsDeps) {
    super();
    this.index = new MembershipIndex(deps.clock);
  }

  /** Loads groups and remembered memberships, re-evaluates everything and follows the registry from now on. */
  async load(): Promise<void> {
    const sub = this.deps.store.sub<unknown>('autogroups');
    for (const value of await sub.values({ gte: GROUP, lt: `${GROUP}~` }).all()) {
      const g = value as GroupRecord;
      this.records.set(g.id, g);
      this.index.defineGroup(this.indexed(g));
    }
    for (const [key, value] of await sub.iterator({ gte: MEMBERS, lt: `${MEMBERS}~` }).all()) {
      for (const [groupId, at] of Object.entries(value as Record<string, number>)) this.index.seed(groupId, key.slice(MEMBERS.length), at);
    }
    for (const d of this.deps.registry.list()) this.index.putFacts(d.serialNumber, deviceFacts(d));
    await this.recompute('start');
    this.deps.registry.on('device', this.onDevice);
    this.deps.registry.on('removed', this.onRemoved);
  }

  detach() { this.deps.registry.off('device', this.onDevice); this.deps.registry.off('removed', this.onRemoved); }

  list(): GroupRecord[] { return [...this.records.values()].sort((a, b) => b.priority - a.priority); }
  get(id: string): GroupRecord | undefined { return this.records.get(id); }
  /** Groups whose policy this is (deleting the policy is refused while any exists). */
  usingPolicy(policyId: string): GroupRecord[] { return this.list().filter((g) => g.policyId === policyId); }

  create(input: GroupInput): Promise<GroupRecord> {
    return this.serially(async () => {
      this.check(input);
      const now = new Date(this.now()).toISOString();
      const g = this.record(input, { id: randomUUID(), createdAt: now, updatedAt: now });
      await this.deps.store.commit([this.groupPut(g)]);
      this.records.set(g.id, g);
      await this.persist(this.index.setGroup(this.indexed(g)), g, 'group-created');
      this.emit('group', { type: 'created', group: g });
      return g;
    });
  }

  update(id: string, input: GroupInput): Promise<GroupRecord> {
    return this.serially(async () => {
      const before = this.records.get(id);
      if (!before) throw new GroupError(404, 'group-not-found', `no group ${id}`);
      this.check(input, id);
      const g = this.record(input, { id, createdAt: before.createdAt, updatedAt: new Date(this.now()).toISOString() });
      await this.deps.store.commit([this.groupPut(g)]);
      this.records.set(id, g);
      await this.persist(this.index.setGroup(this.indexed(g)), g, 'group-edited');
      this.emit('group', { type: 'updated', group: g, before });
      return g;
    });
  }

  remove(id: string): Promise<GroupRecord> {
    return this.serially(async () => {
      const g = this.records.get(id);
      if (!g) throw new GroupError(404, 'group-not-found', `no group ${id}`);
      await this.deps.store.commit([{ type: 'del', sublevel: this.deps.store.sub('autogroups'), key: GROUP + id }]);
      this.records.delete(id);
      await this.persist(this.index.removeGroup(id), g, 'group-deleted');
      this.emit('group', { type: 'deleted', group: g });
      return g;
    });
  }

  /** Re-runs every filter over every device (trigger C's refresh; also at start). */
  recompute(cause: MembershipCause): Promise<void> {
    return this.serially(async () => {
      for (const d of this.index.recomputeAll()) {
        const g = this.records.get(d.groupId);
        await this.persist(d, g ?? { id: d.groupId, name: '(deleted group)' }, cause);
      }
    });
  }

  /** Members a filter would have now, without saving anything (the editor's live preview). */
  preview(filter: unknown, limit = 20): { count: number; members: Device[] } {
    const r = parseFilter(filter);
    if (!r.ok) throw new GroupError(400, 'invalid-filter', 'the filter is not valid', r.errors.map((e) => ({ ...e, field: e.field === '(filter)' ? 'filter' : `filter.${e.field}` })));
    let count = 0;
    const members: Device[] = [];
    for (const [serial, facts] of this.index.allFacts()) {
      if (!r.match(facts)) continue;
      if (++count <= limit) { const d = this.deps.registry.get(serial); if (d) members.push(d); }
    }
    return { count, members };
  }

  /** A page of a group's members, by serial, with when each joined. */
  members(id: string, offset = 0, limit = 100): { total: number; members: { device: Device; joinedAt: string }[] } {
    if (!this.records.has(id)) throw new GroupError(404, 'group-not-found', `no group ${id}`);
    const all = this.index.memberList(id).sort((a, b) => (a[0] < b[0] ? -1 : 1));
    const page = all.slice(offset, offset + limit).flatMap(([serial, at]) => {
      const device = this.deps.registry.get(serial);
      return device ? [{ device, joinedAt: new Date(at).toISOString() }] : [];
    });
    return { total: all.length, members: page };
  }

  memberCount(id: string): number { return this.index.size(id); }

  /** The device's group policy: the highest-priority group it is in that has a policy (that still exists). */
  policyGroupOf(serial: string): GroupPolicy | undefined {
    return this.explain(this.index.groupsOf(serial));
  }

  /** The same for a device as it is about to be stored (Instant-On decides before the write). */
  policyGroupFor(device: Device): GroupPolicy | undefined {
    return this.explain(this.index.evaluate(device.serialNumber, deviceFacts(device)));
  }

  /** What the device detail shows: its groups, highest priority first, and which one gives its policy and why. */
  deviceView(serial: string) {
    const groups = this.index.groupsOf(serial).map((g) => ({ id: g.id, name: g.name, kind: g.kind, priority: g.priority, policyId: g.policyId,
      policyName: g.policyId ? this.deps.policies.get(g.policyId)?.name ?? null : null, joinedAt: new Date(this.index.joinedAt(g.id, serial) ?? 0).toISOString() }));
    return { groups, groupPolicy: this.policyGroupOf(serial) ?? null };
  }

  private explain(groups: IndexedGroup[]): GroupPolicy | undefined {
    const withPolicy = groups.filter((g) => g.policyId && this.deps.policies.get(g.policyId));
    const best = withPolicy[0];
    if (!best) return undefined;
    const others = withPolicy.slice(1).map((g) => `"${g.name}" (priority ${g.priority})`);
    const reason = withPolicy.length === 1
      ? `"${best.name}" is the only one of the device's groups with a policy`
      : `"${best.name}" has the highest priority (${best.priority}) of the device's groups with a policy; also: ${others.join(', ')}`;
    return { policyId: best.policyId!, policyName: this.deps.policies.get(best.policyId!)!.name, groupId: best.id, groupName: best.name, priority: best.priority, reason };
  }

  private deviceChanged(e: DeviceEvent) {
    const device = e.device;
    const diff = this.index.setDevice(device.serialNumber, deviceFacts(device));
    if (!diff.joined.length && !diff.left.length) return;
    if (diff.joined.length && (e.via === 'discovery' || e.via === 'manual')) this.emit('foundJoin', { serial: device.serialNumber, groupIds: diff.joined });
    const writes = [...diff.joined.map((id) => [id, [device.serialNumber], []] as const), ...diff.left.map((id) => [id, [], [device.serialNumber]] as const)]
      .map(([id, joined, left]) => this.persist({ groupId: id, joined: [...joined], left: [...left] }, this.records.get(id)!, 'device'));
    // A membership that cannot be stored is a store failure: report it and let the process end (systemd restarts it).
    void Promise.all(writes).catch((err) => { this.deps.log.error({ err: (err as Error).message, serial: device.serialNumber }, 'could not store group membership'); throw err; });
  }

  /** A deleted device leaves every group: its membership record goes, listeners hear it left (no history: it is gone). */
  private deviceRemoved(serial: string) {
    const diff = this.index.removeDevice(serial);
    const sub = this.deps.store.sub('autogroups');
    void this.deps.store.commit([{ type: 'del', sublevel: sub, key: MEMBERS + serial }]).then(() => {
      const at = new Date(this.now()).toISOString();
      for (const id of diff.left) {
        const g = this.records.get(id);
        if (g) this.emit('membership', { at, cause: 'device-removed', groupId: id, groupName: g.name, joined: [], left: [serial] });
      }
    }, (err) => { this.deps.log.error({ err: (err as Error).message, serial }, 'could not remove group membership'); throw err; });
  }

  /** Writes one group's joins and leaves into each device's history (with its memberships), then tells listeners. */
  private async persist(diff: { groupId: string; joined: string[]; left: string[] }, g: Pick<GroupRecord, 'id' | 'name'>, cause: MembershipCause) {
    if (!diff.joined.length && !diff.left.length) return;
    const at = new Date(this.now()).toISOString();
    const note = (kind: 'group-joined' | 'group-left') => (cur: Device) => ({
      patch: {},
      entries: [{ at, kind, reason: cur.lastReason, messageId: cur.lastMessageId, peerAddress: cur.peerAddress, group: { id: g.id, name: g.name, cause } } satisfies Omit<HistoryEntry, 'seq'>],
      ops: [this.membershipPut(cur.serialNumber)],
    });
    const joined = note('group-joined');
    const left = note('group-left');
    const work = [...diff.joined.map((s) => [s, joined] as const), ...diff.left.map((s) => [s, left] as const)];
    await eachLimited(work, PERSIST_IN_FLIGHT, ([s, change]) => this.deps.registry.apply(s, change, { quiet: true }));
    this.emit('membership', { at, cause, groupId: g.id, groupName: g.name, joined: diff.joined, left: diff.left });
  }

  private membershipPut(serial: string): StoreOp {
    const sub = this.deps.store.sub('autogroups');
    const groups = this.index.groupsOf(serial);
    if (!groups.length) return { type: 'del', sublevel: sub, key: MEMBERS + serial };
    return { type: 'put', sublevel: sub, key: MEMBERS + serial, value: Object.fromEntries(groups.map((x) => [x.id, this.index.joinedAt(x.id, serial)])) };
  }

  private groupPut(g: GroupRecord): StoreOp {
    return { type: 'put', sublevel: this.deps.store.sub('autogroups'), key: GROUP + g.id, value: g };
  }

  /** Checks what the schema cannot: the policy exists, the priority and name are free, manual members are known. */
  private check(input: GroupInput, self?: string) {
    const errors: { field: string; message: string }[] = [];
    if (!self && this.records.size >= GROUP_LIMITS.groups) errors.push({ field: '(body)', message: `at most ${GROUP_LIMITS.groups} groups` });
    if (input.policyId && !this.deps.policies.get(input.policyId)) errors.push({ field: 'policyId', message: `no policy ${input.policyId}` });
    for (const g of this.records.values()) {
      if (g.id === self) continue;
      if (g.priority === input.priority) errors.push({ field: 'priority', message: `priority ${input.priority} is already used by group "${g.name}"; priorities are unique` });
      if (g.name.toLowerCase() === input.name.toLowerCase()) errors.push({ field: 'name', message: `a group named "${g.name}" exists` });
    }
    (input.members ?? []).forEach((s, i) => { if (!this.deps.registry.get(s)) errors.push({ field: `members.${i}`, message: `no device with serial ${s}` }); });
    if (errors.length) throw new GroupError(400, 'invalid-group', 'the group is not valid', errors);
  }

  private record(input: GroupInput, base: Pick<GroupRecord, 'id' | 'createdAt' | 'updatedAt'>): GroupRecord {
    return { ...base, name: input.name, kind: input.kind, priority: input.priority, policyId: input.policyId ?? null,
      ...(input.kind === 'auto' ? { filter: input.filter } : { members: [...new Set(input.members ?? [])] }),
      ...(input.description ? { description: input.description } : {}) };
  }

  private indexed(g: GroupRecord): IndexedGroup {
    const base = { id: g.id, name: g.name, kind: g.kind, priority: g.priority, policyId: g.policyId };
    if (g.kind === 'manual') return { ...base, members: new Set(g.members ?? []) };
    // Stored filters were valid when saved; one that no longer is (a newer schema) matches nothing, loudly.
    const r = parseFilter(g.filter);
    if (!r.ok) this.deps.log.error({ group: g.id, name: g.name, errors: r.errors }, 'stored filter is not valid any more; the group matches nothing until it is edited');
    return { ...base, match: r.ok ? r.match : () => false };
  }

  private now() { return (this.deps.clock ?? Date.now)(); }

  /** Group edits and recomputes one at a time: two requests must not both take a free priority. */
  private serially<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.editing.then(fn, fn);
    this.editing = run.catch(() => undefined);
    return run;
  }
}

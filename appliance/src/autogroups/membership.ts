// Who is in which group, kept in memory and current: a device change re-evaluates that device against every
// group (≈ groups × one closure call), a group change re-evaluates that group over every device, and a full
// recompute does both. Each membership remembers when it began, which is what triggers B and C ask about
// ("new in the group", "joined since the last run"). Pure: no store, no events; the caller persists diffs.
import type { DeviceFacts } from './facts.ts';
import type { Predicate } from './filter.ts';
import type { GroupKind } from './group.ts';

export interface IndexedGroup {
  id: string;
  name: string;
  kind: GroupKind;
  priority: number;
  policyId: string | null;
  /** Autogroups. */
  match?: Predicate;
  /** Manual groups. */
  members?: ReadonlySet<string>;
}

export interface GroupDiff { groupId: string; joined: string[]; left: string[] }
export interface DeviceDiff { serial: string; joined: string[]; left: string[] }

export class MembershipIndex {
  private groups = new Map<string, IndexedGroup>();
  /** Highest priority first. */
  private ordered: IndexedGroup[] = [];
  private facts = new Map<string, DeviceFacts>();
  /** group id → serial → joined at (ms). */
  private byGroup = new Map<string, Map<string, number>>();
  /** serial → group ids. */
  private byDevice = new Map<string, Set<string>>();

  constructor(private readonly clock: () => number = Date.now) {}

  get deviceCount(): number { return this.facts.size; }
  group(id: string): IndexedGroup | undefined { return this.groups.get(id); }
  allGroups(): readonly IndexedGroup[] { return this.ordered; }

  /** A membership remembered from the store; kept only if a recompute confirms it. */
  seed(groupId: string, serial: string, joinedAt: number) {
    this.add(groupId, serial, joinedAt);
  }

  /** Does this device (known or not yet stored) belong to the group? */
  matches(g: IndexedGroup, serial: string, facts: DeviceFacts): boolean {
    return g.match ? g.match(facts) : g.members!.has(serial);
  }

  /** The device's (re-)evaluated facts: which groups it joined and left. */
  setDevice(serial: string, facts: DeviceFacts): DeviceDiff {
    this.facts.set(serial, facts);
    const cur = this.byDevice.get(serial);
    const joined: string[] = [], left: string[] = [];
    const now = this.clock();
    for (const g of this.ordered) {
      const inNow = this.matches(g, serial, facts);
      const was = cur?.has(g.id) ?? false;
      if (inNow && !was) { this.add(g.id, serial, now); joined.push(g.id); }
      else if (!inNow && was) { this.remove(g.id, serial); left.push(g.id); }
    }
    return { serial, joined, left };
  }

  removeDevice(serial: string): DeviceDiff {
    this.facts.delete(serial);
    const left = [...(this.byDevice.get(serial) ?? [])];
    for (const id of left) this.remove(id, serial);
    return { serial, joined: [], left };
  }

  /** Loading: a device's facts and a group's definition without evaluating anything (recomputeAll follows). */
  putFacts(serial: string, facts: DeviceFacts) { this.facts.set(serial, facts); }
  defineGroup(g: IndexedGroup) { this.groups.set(g.id, g); this.reorder(); }

  /** Adds or replaces a group and re-evaluates it over every device. */
  setGroup(g: IndexedGroup): GroupDiff {
    this.groups.set(g.id, g);
    this.reorder();
    return this.evaluateGroup(g);
  }

  removeGroup(id: string): GroupDiff {
    const left = [...(this.byGroup.get(id)?.keys() ?? [])];
    for (const s of left) this.remove(id, s);
    this.groups.delete(id);
    this.byGroup.delete(id);
    this.reorder();
    return { groupId: id, joined: [], left };
  }

  /** Every group over every device; also drops remembered memberships of groups or devices that are gone. */
  recomputeAll(): GroupDiff[] {
    const out: GroupDiff[] = [];
    for (const [id, members] of this.byGroup) {
      if (this.groups.has(id)) continue;
      out.push({ groupId: id, joined: [], left: [...members.keys()] });
      for (const s of [...members.keys()]) this.remove(id, s);
      this.byGroup.delete(id);
    }
    for (const g of this.ordered) {
      const d = this.evaluateGroup(g);
      if (d.joined.length || d.left.length) out.push(d);
    }
    return out;
  }

  /** Which groups a device with these facts would be in, highest priority first (nothing is changed). */
  evaluate(serial: string, facts: DeviceFacts): IndexedGroup[] {
    return this.ordered.filter((g) => this.matches(g, serial, facts));
  }

  /** The device's groups, highest priority first. */
  groupsOf(serial: string): IndexedGroup[] {
    const ids = this.byDevice.get(serial);
    return ids ? this.ordered.filter((g) => ids.has(g.id)) : [];
  }

  joinedAt(groupId: string, serial: string): number | undefined { return this.byGroup.get(groupId)?.get(serial); }
  members(groupId: string): ReadonlyMap<string, number> { return this.byGroup.get(groupId) ?? new Map(); }
  size(groupId: string): number { return this.byGroup.get(groupId)?.size ?? 0; }
  factsOf(serial: string): DeviceFacts | undefined { return this.facts.get(serial); }
  allFacts(): IterableIterator<[string, DeviceFacts]> { return this.facts.entries(); }

  private evaluateGroup(g: IndexedGroup): GroupDiff {
    const members = this.byGroup.get(g.id);
    const joined: string[] = [], left: string[] = [];
    const now = this.clock();
    for (const [serial, facts] of this.facts) {
      const inNow = this.matches(g, serial, facts);
      const was = members?.has(serial) ?? false;
      if (inNow && !was) { this.add(g.id, serial, now); joined.push(serial); }
      else if (!inNow && was) { this.remove(g.id, serial); left.push(serial); }
    }
    if (members) for (const serial of [...members.keys()]) if (!this.facts.has(serial)) { this.remove(g.id, serial); left.push(serial); }
    return { groupId: g.id, joined, left };
  }

  private add(groupId: string, serial: string, at: number) {
    let m = this.byGroup.get(groupId);
    if (!m) this.byGroup.set(groupId, (m = new Map()));
    m.set(serial, at);
    let d = this.byDevice.get(serial);
    if (!d) this.byDevice.set(serial, (d = new Set()));
    d.add(groupId);
  }

  private remove(groupId: string, serial: string) {
    this.byGroup.get(groupId)?.delete(serial);
    const d = this.byDevice.get(serial);
    if (d) { d.delete(groupId); if (d.size === 0) this.byDevice.delete(serial); }
  }

  private reorder() {
    this.ordered = [...this.groups.values()].sort((a, b) => b.priority - a.priority);
  }
}

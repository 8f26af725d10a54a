// Who is in which group, kept in memory and current: a device change re-evaluates that device against every
// group (≈ groups × one closure call), a group change re-evaluates that group over every device, and a full
// recompute does both. Each membership remembers when it began, which is what triggers B and C ask about
// ("new in the group", "joined since the last run"). Pure: no store, no events; the caller persists diffs.
//
// Devices get a dense slot number and each group a byte per slot (and a join time per slot), so the inner
// loop of a recompute is a closure call and two typed-array reads: 10,000 devices × 100 groups fit in
// ~10 MB where maps of sets took ~65 MB, and a full pass runs several times faster (scripts/bench/autogroups).
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

interface Slots { member: Uint8Array; joined: Float64Array; count: number }

export class MembershipIndex {
  private groups = new Map<string, IndexedGroup>();
  /** Highest priority first. */
  private ordered: IndexedGroup[] = [];
  private slotOf = new Map<string, number>();
  private serials: (string | undefined)[] = [];
  private facts: (DeviceFacts | undefined)[] = [];
  private free: number[] = [];
  private capacity = 1024;
  private state = new Map<string, Slots>();
  /** Memberships remembered from the store, waiting for their device's facts. */
  private seeds = new Map<string, [string, number][]>();

  constructor(private readonly clock: () => number = Date.now) {}

  get deviceCount(): number { return this.slotOf.size; }
  group(id: string): IndexedGroup | undefined { return this.groups.get(id); }
  allGroups(): readonly IndexedGroup[] { return this.ordered; }

  /** A membership remembered from the store (before the devices load); kept only if a recompute confirms it. */
  seed(groupId: string, serial: string, joinedAt: number) {
    const list = this.seeds.get(serial) ?? [];
    list.push([groupId, joinedAt]);
    this.seeds.set(serial, list);
  }

  /** Does this device (known or not yet stored) belong to the group? */
  matches(g: IndexedGroup, serial: string, facts: DeviceFacts): boolean {
    return g.match ? g.match(facts) : g.members!.has(serial);
  }

  /** Loading: a device's facts without evaluating anything (recomputeAll follows). */
  putFacts(serial: string, facts: DeviceFacts) {
    const slot = this.slot(serial);
    this.facts[slot] = facts;
    for (const [groupId, at] of this.seeds.get(serial) ?? []) {
      const s = this.state.get(groupId);
      if (s && !s.member[slot]) { s.member[slot] = 1; s.joined[slot] = at; s.count++; }
    }
    this.seeds.delete(serial);
  }

  /** Loading: a group's definition without evaluating it. */
  defineGroup(g: IndexedGroup) {
    this.groups.set(g.id, g);
    if (!this.state.has(g.id)) this.state.set(g.id, { member: new Uint8Array(this.capacity), joined: new Float64Array(this.capacity), count: 0 });
    this.reorder();
  }

  /** The device's (re-)evaluated facts: which groups it joined and left. */
  setDevice(serial: string, facts: DeviceFacts): DeviceDiff {
    const slot = this.slot(serial);
    this.facts[slot] = facts;
    const joined: string[] = [], left: string[] = [];
    const now = this.clock();
    for (const g of this.ordered) {
      const s = this.state.get(g.id)!;
      const inNow = this.matches(g, serial, facts);
      if (inNow && !s.member[slot]) { s.member[slot] = 1; s.joined[slot] = now; s.count++; joined.push(g.id); }
      else if (!inNow && s.member[slot]) { s.member[slot] = 0; s.count--; left.push(g.id); }
    }
    return { serial, joined, left };
  }

  removeDevice(serial: string): DeviceDiff {
    const slot = this.slotOf.get(serial);
    if (slot === undefined) return { serial, joined: [], left: [] };
    const left: string[] = [];
    for (const [id, s] of this.state) if (s.member[slot]) { s.member[slot] = 0; s.count--; left.push(id); }
    this.slotOf.delete(serial);
    this.serials[slot] = undefined;
    this.facts[slot] = undefined;
    this.free.push(slot);
    return { serial, joined: [], left };
  }

  /** Adds or replaces a group and re-evaluates it over every device. */
  setGroup(g: IndexedGroup): GroupDiff {
    this.defineGroup(g);
    return this.evaluateGroup(g);
  }

  removeGroup(id: string): GroupDiff {
    const left = this.memberList(id).map(([serial]) => serial);
    this.groups.delete(id);
    this.state.delete(id);
    this.reorder();
    return { groupId: id, joined: [], left };
  }

  /** Every group over every device. */
  recomputeAll(): GroupDiff[] {
    const out: GroupDiff[] = [];
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
    const slot = this.slotOf.get(serial);
    return slot === undefined ? [] : this.ordered.filter((g) => this.state.get(g.id)!.member[slot]);
  }

  joinedAt(groupId: string, serial: string): number | undefined {
    const slot = this.slotOf.get(serial);
    const s = this.state.get(groupId);
    return slot !== undefined && s?.member[slot] ? s.joined[slot] : undefined;
  }

  /** [serial, joined at] of every member, in slot order. */
  memberList(groupId: string): [string, number][] {
    const s = this.state.get(groupId);
    const out: [string, number][] = [];
    if (!s) return out;
    for (let i = 0; i < this.serials.length; i++) if (s.member[i]) out.push([this.serials[i]!, s.joined[i]]);
    return out;
  }

  size(groupId: string): number { return this.state.get(groupId)?.count ?? 0; }
  factsOf(serial: string): DeviceFacts | undefined { const slot = this.slotOf.get(serial); return slot === undefined ? undefined : this.facts[slot]; }

  *allFacts(): IterableIterator<[string, DeviceFacts]> {
    for (let i = 0; i < this.facts.length; i++) { const f = this.facts[i]; if (f) yield [this.serials[i]!, f]; }
  }

  private evaluateGroup(g: IndexedGroup): GroupDiff {
    const s = this.state.get(g.id)!;
    const { member, joined: joinedAt } = s;
    const joined: string[] = [], left: string[] = [];
    const now = this.clock();
    const facts = this.facts, serials = this.serials, match = g.match;
    for (let i = 0; i < facts.length; i++) {
      const f = facts[i];
      if (!f) continue;
      const inNow = match ? match(f) : g.members!.has(serials[i]!);
      if (inNow) { if (!member[i]) { member[i] = 1; joinedAt[i] = now; s.count++; joined.push(serials[i]!); } }
      else if (member[i]) { member[i] = 0; s.count--; left.push(serials[i]!); }
    }
    return { groupId: g.id, joined, left };
  }

  private slot(serial: string): number {
    let slot = this.slotOf.get(serial);
    if (slot !== undefined) return slot;
    slot = this.free.pop() ?? this.serials.length;
    this.slotOf.set(serial, slot);
    this.serials[slot] = serial;
    if (slot >= this.capacity) this.grow();
    return slot;
  }

  private grow() {
    this.capacity *= 2;
    for (const s of this.state.values()) {
      const member = new Uint8Array(this.capacity); member.set(s.member); s.member = member;
      const joined = new Float64Array(this.capacity); joined.set(s.joined); s.joined = joined;
    }
  }

  private reorder() {
    this.ordered = [...this.groups.values()].sort((a, b) => b.priority - a.priority);
  }
}

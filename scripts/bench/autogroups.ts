// Autogroup membership at branch scale: 10,000 devices × 100 autogroups.
//   npx tsx scripts/bench/autogroups.ts [--devices 10000] [--groups 100] [--rounds 7]
// Measures, in one process:
//  - full recompute (every filter over every device), from empty and at steady state;
//  - one device change (re-evaluated against every group), averaged over every device;
//  - the baseline: the same filters interpreted straight from their JSON on the raw device record (what a
//    first implementation does: lower-case, parse ranges and build glob RegExps on every test);
//  - RSS and heap before the devices exist, with the devices, and with the membership index.
// Goals (issue 15): full recompute ≤ 200 ms, one device change ≤ 1 ms.
import { parseArgs } from 'node:util';
import { readFileSync } from 'node:fs';
import { MembershipIndex } from '../../appliance/src/autogroups/membership.ts';
import { deviceFacts } from '../../appliance/src/autogroups/facts.ts';
import { FilterSchema, compileFilter, type FilterNode, type Condition } from '../../appliance/src/autogroups/filter.ts';
import { parseIpv4Range, ipv4ToNumber } from '../../appliance/src/autogroups/match.ts';
import type { Device } from '../../appliance/src/devices/device.ts';

const { values } = parseArgs({ options: { devices: { type: 'string', default: '10000' }, groups: { type: 'string', default: '100' }, rounds: { type: 'string', default: '7' } } });
const N = Number(values.devices), G = Number(values.groups), ROUNDS = Number(values.rounds);
const mb = (n: number) => Math.round(n / 1048576);
const mem = () => { global.gc?.(); const m = process.memoryUsage(); return { rss: mb(m.rss), heap: mb(m.heapUsed), buffers: mb(m.arrayBuffers) }; };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const time = (fn: () => void) => { const t = performance.now(); fn(); return performance.now() - t; };

const MODELS = ['HP Color LaserJet Enterprise MFP M480f', 'HP LaserJet Enterprise M611dn', 'HP LaserJet Pro 4002dn', 'HP Color LaserJet Pro MFP 4302fdw',
  'HP PageWide Enterprise Color 765dn', 'HP LaserJet Enterprise MFP M555dn', 'HP Color LaserJet Enterprise M751dn', 'Brother HL-L6400DW'];
const SITES = ['finance', 'lobby', 'warehouse', 'hr', 'legal', 'it', 'sales', 'print-room'];
const STATUS = ['compliant', 'non-compliant', 'remediated', 'unreachable'] as const;

const before = mem();
const devices: Device[] = [];
for (let i = 0; i < N; i++) {
  const site = SITES[i % SITES.length];
  devices.push({
    serialNumber: `CNB${String(i).padStart(7, '0')}`, macAddress: `a0:d3:${((i >> 16) & 255).toString(16).padStart(2, '0')}:${((i >> 8) & 255).toString(16).padStart(2, '0')}:${(i & 255).toString(16).padStart(2, '0')}:01`,
    model: MODELS[i % MODELS.length], ipv4: `10.${(i >> 12) & 255}.${(i >> 4) & 255}.${10 + (i & 15)}`, hostname: `npi${String(i).padStart(6, '0')}.${site}.branch.lan`,
    firmware: `25${String(i % 12).padStart(2, '0')}252_000112`, snmpPort: 161, discoveredBy: i % 5 === 0 ? 'auto-discovered' : 'instant-on', foundBy: i % 5 === 0 ? { discovery: { first: '', last: '' } } : { announcement: { first: '', last: '' } },
    firstSeen: '2025-01-01T00:00:00Z', lastSeen: '2025-01-01T00:00:00Z', lastReason: 'initial-boot', lastMessageId: 'm', peerAddress: '10.0.0.1',
    announceCount: 1, authMethod: i % 3 ? 'anonymous' : 'mutual', historySeq: 0,
    compliance: i % 7 ? { status: STATUS[i % 4], policyId: 'p', policyName: 'p', at: '', taskId: '', run: 1, remediate: true, settings: [] } : undefined,
  });
}
const withDevices = mem();

// 100 filters of the kinds a branch writes: by model, subnet, host-name pattern, vendor MAC block, firmware,
// how found, compliance; many combined, some negated, some with a nested any.
function filterFor(k: number): FilterNode {
  const model = { field: 'model', op: 'contains', value: MODELS[k % MODELS.length].split(' ').slice(-1)[0] } as Condition;
  const subnet = { field: 'ipv4', op: 'inRange', value: `10.${k % 3}.${(k * 16) % 256}.0/20` } as Condition;
  const host = { field: 'hostname', op: 'glob', value: `npi*${k % 10}.${SITES[k % SITES.length]}.*` } as Condition;
  const mac = { field: 'mac', op: 'prefix', value: `a0:d3:0${k % 3}` } as Condition;
  const fw = { field: 'firmware', op: 'in', value: [`25${String(k % 12).padStart(2, '0')}252_000112`, '2412252_000112'] } as Condition;
  const found = { field: 'foundBy', op: 'equals', value: k % 2 ? 'discovery' : 'announcement' } as Condition;
  const comp = { field: 'compliance', op: 'in', value: ['non-compliant', 'unreachable'] } as Condition;
  switch (k % 6) {
    case 0: return model;
    case 1: return { all: [model, subnet] };
    case 2: return { all: [host, { not: comp }] };
    case 3: return { any: [mac, fw] };
    case 4: return { all: [found, { any: [model, { not: subnet }] }] };
    default: return { all: [{ field: 'ipv4', op: 'inRange', value: `10.0.${k}.0-10.${k % 4}.255.255` }, fw, { any: [host, comp] }] };
  }
}
const filters = Array.from({ length: G }, (_, k) => FilterSchema.parse(filterFor(k)));

// The baseline: interpret the JSON each time on the raw device.
function naive(node: FilterNode, d: Device): boolean {
  if ('not' in node) return !naive(node.not, d);
  if ('all' in node) return node.all.every((n) => naive(n, d));
  if ('any' in node) return node.any.some((n) => naive(n, d));
  const raw: Record<string, string | undefined> = { model: d.model, serial: d.serialNumber, mac: d.macAddress, ipv4: d.ipv4, hostname: d.hostname, firmware: d.firmware,
    foundBy: d.discoveredBy === 'auto-discovered' ? 'discovery' : 'announcement', compliance: d.compliance?.status ?? 'not-assessed', lastAuth: d.lastAuth?.result ?? 'never', authMethod: d.authMethod };
  const v = (raw[node.field] ?? '').toLowerCase();
  const want = (x: string) => x.toLowerCase();
  switch (node.op) {
    case 'equals': return v === want(node.value as string);
    case 'contains': return v.includes(want(node.value as string));
    case 'prefix': return v.startsWith(want(node.value as string));
    case 'in': return (node.value as string[]).map(want).includes(v);
    case 'glob': return new RegExp(`^${want(node.value as string).replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`).test(v);
    case 'inRange': { const r = parseIpv4Range(node.value as string) as { lo: number; hi: number }; const n = ipv4ToNumber(d.ipv4); return n >= r.lo && n <= r.hi; }
  }
}

const index = new MembershipIndex();
for (let k = 0; k < G; k++) index.defineGroup({ id: `g${k}`, name: `group ${k}`, kind: 'auto', priority: k + 1, policyId: k % 4 ? `p${k}` : null, match: compileFilter(filters[k]) });
const factsTime = time(() => { for (const d of devices) index.putFacts(d.serialNumber, deviceFacts(d)); });
const first = time(() => index.recomputeAll());
let members = 0;
for (let k = 0; k < G; k++) members += index.size(`g${k}`);
const steady: number[] = [];
for (let r = 0; r < ROUNDS; r++) steady.push(time(() => index.recomputeAll()));
const withIndex = mem();

const baselineRuns: number[] = [];
let baselineMembers = 0;
for (let r = 0; r < Math.max(3, Math.floor(ROUNDS / 2)); r++) {
  let count = 0;
  baselineRuns.push(time(() => { for (const f of filters) for (const d of devices) if (naive(f, d)) count++; }));
  baselineMembers = count;
}


if (members !== baselineMembers) throw new Error(`compiled filters found ${members} memberships, the baseline ${baselineMembers}`);

// One device change: a new address, firmware and compliance, re-evaluated against every group; then back.
const changed = devices.map((d, i) => deviceFacts({ ...d, ipv4: `10.3.${i & 255}.7`, firmware: '2412252_000112', compliance: { ...(d.compliance ?? {} as any), status: 'non-compliant' } }));
const original = devices.map((d) => deviceFacts(d));
let moves = 0;
const change = time(() => { for (let i = 0; i < N; i++) { const x = index.setDevice(devices[i].serialNumber, changed[i]); moves += x.joined.length + x.left.length; } });
const back = time(() => { for (let i = 0; i < N; i++) index.setDevice(devices[i].serialNumber, original[i]); });
const perChangeMs = (change + back) / (2 * N);
let policyLookups = 0;
const lookups = time(() => { for (const d of devices) if (index.groupsOf(d.serialNumber).find((g) => g.policyId)) policyLookups++; });

// The floor: the same loop with a predicate that reads one field and decides nothing, i.e. what visiting
// every device × group costs on this machine at this moment (the machine is shared; this scales with it).
const floorIndex = new MembershipIndex();
for (let k = 0; k < G; k++) floorIndex.defineGroup({ id: `f${k}`, name: `floor ${k}`, kind: 'auto', priority: k + 1, policyId: null, match: (f) => f.model.length < 0 });
for (const d of devices) floorIndex.putFacts(d.serialNumber, index.factsOf(d.serialNumber)!);
const floorRuns: number[] = [];
for (let r = 0; r < ROUNDS; r++) floorRuns.push(time(() => floorIndex.recomputeAll()));
const floor = median(floorRuns);

const full = median(steady);
const base = median(baselineRuns);
console.log(`autogroups bench: ${N} devices × ${G} autogroups, ${members} memberships (${(members / N).toFixed(1)} per device), node ${process.version}`);
console.log(`  floor (visit every device × group, decide nothing): ${floor.toFixed(1)} ms   load average ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`);
console.log(`  baseline (JSON interpreted per device) full pass: ${base.toFixed(1)} ms`);
console.log(`  full recompute, first (everyone joins):          ${first.toFixed(1)} ms   (+ ${factsTime.toFixed(1)} ms to flatten ${N} devices once)`);
console.log(`  full recompute, steady (median of ${ROUNDS}):           ${full.toFixed(1)} ms   goal ≤ 200 ms  ${full <= 200 ? 'OK' : 'MISSED'}   ${(base / full).toFixed(1)}× faster than the baseline, ${(full / floor).toFixed(1)}× the floor`);
console.log(`  one device change (${G} groups re-evaluated):       ${(perChangeMs * 1000).toFixed(1)} µs  goal ≤ 1 ms    ${perChangeMs <= 1 ? 'OK' : 'MISSED'}   (${moves} joins/leaves in ${N} changes)`);
console.log(`  group policy lookup, every device:               ${lookups.toFixed(1)} ms (${policyLookups} with a group policy)`);
console.log(`  memory: RSS ${before.rss} MB before, ${withDevices.rss} MB with the devices, ${withIndex.rss} MB with the index (+${withIndex.rss - withDevices.rss} MB); heap ${before.heap} → ${withDevices.heap} → ${withIndex.heap} MB, typed arrays ${withIndex.buffers} MB${global.gc ? '' : ' (run with --expose-gc for settled numbers)'}`);

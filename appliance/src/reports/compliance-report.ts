// The compliance report (issue 16 §1): for a period, per policy, each device's standing at the end of the
// period — compliant, remediated (found non-compliant and fixed in the period, compliant at the end),
// non-compliant, unreachable, or not assessed in the period (its last result is older) — and what the
// appliance changed, when. Built in one pass over the journal; memory is bounded by devices × policies plus
// the changes kept for the answer (`maxChanges`; the CSV streams them all).
import type { JournalEntry } from './journal.ts';

export type Category = 'compliant' | 'remediated' | 'non-compliant' | 'unreachable' | 'not-assessed';
export const CATEGORIES: Category[] = ['compliant', 'remediated', 'non-compliant', 'unreachable', 'not-assessed'];

export interface DeviceInfo { serialNumber: string; model?: string; hostname?: string; ipv4?: string; retired?: unknown }

export interface ReportDevice {
  serial: string;
  model: string;
  hostname: string;
  ip: string;
  retired: boolean;
  category: Category;
  /** Status of its last result up to the end of the period. */
  status: string;
  lastAssessedAt: string;
  /** Settings changed in the period. */
  settingsChanged: number;
  nonCompliant: string[];
  detail?: string;
}

export interface ReportChange { at: string; serial: string; policyId: string; policyName: string; setting: string; from: unknown; to: unknown }

export interface PolicySection {
  policyId: string;
  policyName: string;
  counts: Record<Category, number>;
  devices: ReportDevice[];
}

export interface ComplianceReport {
  period: { from: string; to: string };
  generatedAt: string;
  scope: { policyId: string | null; groupId: string | null; groupName: string | null };
  totals: Record<Category, number>;
  policies: PolicySection[];
  changes: ReportChange[];
  changesTotal: number;
  changesTruncated: boolean;
}

export interface ReportInput {
  from: string;
  to: string;
  /** Journal entries before `from` (oldest first): each pair's last one is its standing when the period starts. */
  before: AsyncIterable<JournalEntry>;
  /** Journal entries in the period, oldest first. */
  during: AsyncIterable<JournalEntry>;
  device: (serial: string) => DeviceInfo | undefined;
  policyName: (id: string) => string | undefined;
  policyId?: string;
  /** Only these devices (a group's members); undefined = every device. */
  serials?: Set<string>;
  group?: { id: string; name: string };
  maxChanges?: number;
  now?: () => Date;
}

interface PairState { serial: string; policyId: string; policyName: string; last: JournalEntry; inPeriod: boolean; changed: number; fixedInPeriod: boolean }

const zero = (): Record<Category, number> => ({ compliant: 0, remediated: 0, 'non-compliant': 0, unreachable: 0, 'not-assessed': 0 });

export function categoryOf(status: string, fixedInPeriod: boolean, inPeriod: boolean): Category {
  if (!inPeriod) return 'not-assessed';
  if (status === 'remediated') return 'remediated';
  if (status === 'compliant') return fixedInPeriod ? 'remediated' : 'compliant';
  if (status === 'unreachable' || status === 'auth-failed') return 'unreachable';
  return 'non-compliant';
}

export async function buildComplianceReport(input: ReportInput): Promise<ComplianceReport> {
  const maxChanges = input.maxChanges ?? 10_000;
  const pairs = new Map<string, PairState>();
  const wanted = (e: JournalEntry) => (!input.policyId || e.policyId === input.policyId) && (!input.serials || input.serials.has(e.serial)) && !!input.device(e.serial);
  for await (const e of input.before) {
    if (!wanted(e)) continue;
    pairs.set(`${e.serial}|${e.policyId}`, { serial: e.serial, policyId: e.policyId, policyName: e.policyName, last: e, inPeriod: false, changed: 0, fixedInPeriod: false });
  }
  const changes: ReportChange[] = [];
  let changesTotal = 0;
  for await (const e of input.during) {
    if (!wanted(e)) continue;
    const key = `${e.serial}|${e.policyId}`;
    const p = pairs.get(key) ?? { serial: e.serial, policyId: e.policyId, policyName: e.policyName, last: e, inPeriod: true, changed: 0, fixedInPeriod: false };
    p.last = e;
    p.inPeriod = true;
    p.policyName = e.policyName;
    for (const c of e.changed ?? []) {
      p.changed++;
      changesTotal++;
      if (changes.length < maxChanges) changes.push({ at: e.at, serial: e.serial, policyId: e.policyId, policyName: e.policyName, setting: c.id, from: c.from, to: c.to });
    }
    if (e.status === 'remediated') p.fixedInPeriod = true;
    pairs.set(key, p);
  }

  const sections = new Map<string, PolicySection>();
  const totals = zero();
  for (const p of pairs.values()) {
    const d = input.device(p.serial)!;
    const section = sections.get(p.policyId) ?? { policyId: p.policyId, policyName: input.policyName(p.policyId) ?? `${p.policyName} (deleted)`, counts: zero(), devices: [] };
    const category = categoryOf(p.last.status, p.fixedInPeriod, p.inPeriod);
    section.counts[category]++;
    totals[category]++;
    section.devices.push({ serial: p.serial, model: d.model ?? '', hostname: d.hostname ?? '', ip: d.ipv4 ?? '', retired: !!d.retired, category,
      status: p.last.status, lastAssessedAt: p.last.at, settingsChanged: p.changed, nonCompliant: p.last.nonCompliant ?? [],
      ...(p.last.detail ? { detail: p.last.detail } : {}) });
    sections.set(p.policyId, section);
  }
  // Members of the group never assessed with any policy are listed too: an auditor asks about them first.
  if (input.serials) {
    const seen = new Set([...pairs.values()].map((p) => p.serial));
    const never = [...input.serials].filter((s) => !seen.has(s) && input.device(s));
    if (never.length) {
      const section: PolicySection = { policyId: '', policyName: '(never assessed)', counts: zero(), devices: [] };
      for (const serial of never) {
        const d = input.device(serial)!;
        section.counts['not-assessed']++;
        totals['not-assessed']++;
        section.devices.push({ serial, model: d.model ?? '', hostname: d.hostname ?? '', ip: d.ipv4 ?? '', retired: !!d.retired, category: 'not-assessed',
          status: 'not assessed', lastAssessedAt: '', settingsChanged: 0, nonCompliant: [] });
      }
      sections.set('', section);
    }
  }
  const order: Record<Category, number> = { 'non-compliant': 0, unreachable: 1, remediated: 2, 'not-assessed': 3, compliant: 4 };
  const policies = [...sections.values()].sort((a, b) => (a.policyId === '' ? 1 : b.policyId === '' ? -1 : a.policyName.localeCompare(b.policyName)));
  for (const s of policies) s.devices.sort((a, b) => order[a.category] - order[b.category] || a.serial.localeCompare(b.serial, undefined, { numeric: true }));
  return {
    period: { from: input.from, to: input.to }, generatedAt: (input.now?.() ?? new Date()).toISOString(),
    scope: { policyId: input.policyId ?? null, groupId: input.group?.id ?? null, groupName: input.group?.name ?? null },
    totals, policies, changes, changesTotal, changesTruncated: changesTotal > changes.length,
  };
}

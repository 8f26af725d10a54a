// Compliance reports as a service: the journal, the devices and policies it names, and (when groups exist)
// a group's members, put together for the API as JSON, CSV (RFC 4180, streamed) and PDF.
import { Readable } from 'node:stream';
import type { DeviceRegistry } from '../devices/index.ts';
import type { PolicyRepo } from '../policy/index.ts';
import { ComplianceJournal, JOURNAL_RETENTION_DAYS, type JournalEntry } from './journal.ts';
import { buildComplianceReport, type ComplianceReport } from './compliance-report.ts';
import { renderCompliancePdf, type PdfMeta } from './pdf.ts';
import { csvLine } from '../util/csv.ts';

/** What reports need of groups (the autogroups room provides it once wired; absent = no group scope). */
export interface GroupsPort {
  get(id: string): { id: string; name: string } | undefined;
  memberSerials(id: string): string[];
}

export interface ReportQuery { from: string; to: string; policyId?: string; groupId?: string }

export class ReportError extends Error {
  constructor(readonly code: string, readonly field: string, message: string) { super(message); }
}

const DAY = 86_400_000;

export class ComplianceReports {
  constructor(private readonly d: { journal: ComplianceJournal; registry: DeviceRegistry; policies: PolicyRepo; groups?: () => GroupsPort | undefined; meta: () => PdfMeta }) {}

  private scope(q: ReportQuery) {
    // A deleted policy can still be reported on while the journal remembers it.
    if (q.policyId && !this.d.policies.get(q.policyId) && !this.d.journal.knowsPolicy(q.policyId)) throw new ReportError('policy-not-found', 'policyId', `no policy ${q.policyId}`);
    if (!q.groupId) return {};
    const groups = this.d.groups?.();
    if (!groups) throw new ReportError('groups-unavailable', 'groupId', 'groups are not available on this appliance');
    const g = groups.get(q.groupId);
    if (!g) throw new ReportError('group-not-found', 'groupId', `no group ${q.groupId}`);
    return { group: { id: g.id, name: g.name }, serials: new Set(groups.memberSerials(g.id)) };
  }

  async build(q: ReportQuery, maxChanges?: number): Promise<ComplianceReport> {
    const scope = this.scope(q);
    const baselineFrom = new Date(Date.parse(q.from) - JOURNAL_RETENTION_DAYS * DAY).toISOString();
    return buildComplianceReport({
      from: q.from, to: q.to, policyId: q.policyId, ...scope, maxChanges,
      before: this.d.journal.entries(baselineFrom, justBefore(q.from)),
      during: this.d.journal.entries(q.from, q.to),
      device: (serial) => this.d.registry.get(serial),
      policyName: (id) => this.d.policies.get(id)?.name,
    });
  }

  async pdf(q: ReportQuery): Promise<Buffer> {
    return renderCompliancePdf(await this.build(q, 2000), this.d.meta());
  }

  /** CSV, one row per device and policy (`devices`) or per setting change (`changes`), streamed. */
  async csv(q: ReportQuery, rows: 'devices' | 'changes'): Promise<Readable> {
    if (rows === 'devices') {
      const r = await this.build(q, 0);
      const lines = function* () {
        yield '\ufeff' + csvLine(['policyId', 'policyName', 'serialNumber', 'model', 'hostname', 'ipv4', 'retired', 'category', 'status', 'lastAssessedAt', 'settingsChanged', 'nonCompliantSettings', 'detail']);
        for (const p of r.policies) for (const d of p.devices) {
          yield csvLine([p.policyId, p.policyName, d.serial, d.model, d.hostname, d.ip, d.retired, d.category, d.status, d.lastAssessedAt, d.settingsChanged, d.nonCompliant.join(' '), d.detail ?? '']);
        }
      };
      return Readable.from(lines());
    }
    const scope = this.scope(q);
    const { journal, registry, policies } = this.d;
    const wanted = (e: JournalEntry) => (!q.policyId || e.policyId === q.policyId) && (!scope.serials || scope.serials.has(e.serial)) && registry.get(e.serial);
    async function* lines() {
      yield '\ufeff' + csvLine(['changedAt', 'serialNumber', 'model', 'policyId', 'policyName', 'setting', 'from', 'to', 'taskId']);
      for await (const e of journal.entries(q.from, q.to)) {
        if (!e.changed || !wanted(e)) continue;
        const name = policies.get(e.policyId)?.name ?? e.policyName;
        for (const c of e.changed) yield csvLine([e.at, e.serial, registry.get(e.serial)?.model ?? '', e.policyId, name, c.id, c.from, c.to, e.taskId]);
      }
    }
    return Readable.from(lines());
  }
}

/** The last instant before `iso` as a key bound (entries at exactly `from` belong to the period). */
function justBefore(iso: string): string {
  return new Date(Date.parse(iso) - 1).toISOString();
}

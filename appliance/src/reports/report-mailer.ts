// The compliance report e-mailed on a schedule (issue 16 §1): every day, week or month the report of the
// period just ended goes to `reportEmailTo` as a PDF (for the auditor) and a CSV, through the same SMTP
// settings as the alerts. The last sending is remembered in the store, so a restart does not send twice and a
// missed one (the appliance was off) goes out at the next check.
import type { Store } from '../store/index.ts';
import type { ComplianceReports } from './reports.ts';
import type { MailText } from '../alerts/index.ts';

export type ReportEvery = 'off' | 'daily' | 'weekly' | 'monthly';
const LAST_KEY = 'report-mail-last';
const DAY = 86_400_000;
const PERIOD_MS: Record<Exclude<ReportEvery, 'off'>, number> = { daily: DAY, weekly: 7 * DAY, monthly: 30 * DAY };

export interface ReportMailLast { at: string; to: string[]; period: { from: string; to: string }; error?: string }

export class ReportMailer {
  private timer?: NodeJS.Timeout;
  private last?: ReportMailLast;
  private sending?: Promise<ReportMailLast>;

  constructor(private readonly d: {
    store: Store; reports: ComplianceReports; appliance: () => string;
    settings: () => { to: string[]; every: ReportEvery };
    send: (to: string[], mail: MailText) => Promise<void>;
    log: { info(o: object, m: string): void; error(o: object, m: string): void };
    now?: () => number; tickMs?: number;
  }) {}

  async start() {
    this.last = await this.d.store.get<ReportMailLast>('meta', LAST_KEY);
    this.timer = setInterval(() => void this.tick(), this.d.tickMs ?? 10 * 60_000);
    this.timer.unref();
  }

  async stop() { clearInterval(this.timer); await this.sending?.catch(() => undefined); }

  status() { const s = this.d.settings(); return { ...s, last: this.last ?? null }; }

  private now() { return this.d.now?.() ?? Date.now(); }

  private async tick() {
    const s = this.d.settings();
    if (s.every === 'off' || !s.to.length || this.sending) return;
    if (this.last && !this.last.error && this.now() - Date.parse(this.last.at) < PERIOD_MS[s.every]) return;
    await this.sendNow().catch(() => undefined);
  }

  /** Sends the report of the period just ended (the schedule's, or the last day) now. */
  sendNow(to?: string[]): Promise<ReportMailLast> {
    this.sending ??= this.send(to).finally(() => { this.sending = undefined; });
    return this.sending;
  }

  private async send(toOverride?: string[]): Promise<ReportMailLast> {
    const s = this.d.settings();
    const to = toOverride?.length ? toOverride : s.to;
    const end = this.now();
    const period = { from: new Date(end - PERIOD_MS[s.every === 'off' ? 'daily' : s.every]).toISOString(), to: new Date(end).toISOString() };
    let result: ReportMailLast;
    try {
      if (!to.length) throw new Error('no recipients: set reportEmailTo');
      const [report, pdf, csv] = [await this.d.reports.build(period, 0), await this.d.reports.pdf(period), await this.d.reports.csv(period, 'devices')];
      const chunks: Buffer[] = [];
      for await (const c of csv) chunks.push(Buffer.from(c));
      const t = report.totals;
      const name = `compliance-${period.from.slice(0, 10)}-to-${period.to.slice(0, 10)}`;
      await this.d.send(to, {
        subject: `[instant-on ${this.d.appliance()}] Compliance report ${period.from.slice(0, 10)} – ${period.to.slice(0, 10)}`,
        text: `Compliance report of ${this.d.appliance()} for ${period.from} to ${period.to}.\n\n`
          + `Compliant ${t.compliant}, remediated ${t.remediated}, non-compliant ${t['non-compliant']}, unreachable ${t.unreachable}, not assessed ${t['not-assessed']}.\n`
          + `${report.changesTotal} setting change(s) in the period.\n\nThe PDF is for reading and filing; the CSV lists every device.\n`,
        attachments: [{ filename: `${name}.pdf`, content: pdf, contentType: 'application/pdf' }, { filename: `${name}.csv`, content: Buffer.concat(chunks), contentType: 'text/csv' }],
      });
      result = { at: new Date(end).toISOString(), to, period };
      this.d.log.info({ to, period }, 'compliance report e-mailed');
    } catch (err) {
      result = { at: new Date(end).toISOString(), to, period, error: (err as Error).message.slice(0, 300) };
      this.d.log.error({ err: result.error, to }, 'could not e-mail the compliance report');
    }
    this.last = result;
    await this.d.store.commit([{ type: 'put', sublevel: this.d.store.sub('meta'), key: LAST_KEY, value: result }]);
    return result;
  }
}

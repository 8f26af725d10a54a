// GET /metrics for Prometheus (prom-client). Most numbers already exist as counters in the components'
// stats(); they are read at scrape time by collect callbacks instead of being threaded through every room.
// Only durations need observing as they happen: task and SNMP run durations and store commit latency.
// One registry per appliance (not prom-client's global one), so two appliances in a test process do not mix.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export interface MetricsSources {
  /** Compliance status of every device ('not-assessed' when none). */
  complianceCounts(): Record<string, number>;
  announce(): { connections: number; accepted: number; rejected: Record<string, number>; closed: Record<string, number> };
  tasks(): { queued: number; running: number; devicesInFlight: number; devicesWaiting: number };
  dns(): { counters: Record<string, number>; dropped: Record<string, number> } | undefined;
  forwarding(): { backlog: number; backlogBytes: number; dropped: Record<string, number> } | undefined;
  storeQueued(): number;
  alertsOpen(): Record<string, number>;
  syslog(): { target: string; sent: number; dropped: number; queued: number; consecutiveFailures: number }[];
  mail(): { queued: number; sent: number; consecutiveFailures: number };
}

const COMPLIANCE = ['compliant', 'remediated', 'non-compliant', 'unsupported', 'unreachable', 'auth-failed', 'not-assessed'];
const SNMP_FAILURES = new Set(['unreachable', 'auth-failed']);

/** Sets a counter to a total kept elsewhere (a component's own counter). */
function setTotals(c: Counter<string>, values: [Record<string, string>, number][]) {
  c.reset();
  for (const [labels, v] of values) if (v > 0 || Object.keys(labels).length) c.inc(labels, Math.max(0, v));
}

function setGauges(g: Gauge<string>, values: [Record<string, string>, number][]) {
  g.reset();
  for (const [labels, v] of values) g.set(labels, v);
}

export class ApplianceMetrics {
  readonly registry = new Registry();
  private readonly taskDuration: Histogram<string>;
  private readonly snmpDuration: Histogram<string>;
  private readonly snmpRuns: Counter<string>;
  private readonly snmpRoundTrips: Counter<string>;
  private readonly snmpFailures: Counter<string>;
  private readonly commitLatency: Histogram<string>;
  private readonly seenTasks = new Set<string>();

  constructor(src: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 20 });
    // These three are gauges named like counters; `promtool check metrics` rightly refuses them.
    for (const name of ['nodejs_active_handles_total', 'nodejs_active_requests_total', 'nodejs_active_resources_total']) this.registry.removeSingleMetric(name);
    new Gauge({ name: 'ioe_devices', help: 'Devices by compliance status of their latest assessment.', labelNames: ['compliance'], registers,
      collect() { const c = src.complianceCounts(); setGauges(this, COMPLIANCE.map((s) => [{ compliance: s }, c[s] ?? 0])); } });
    new Counter({ name: 'ioe_announcements_total', help: 'Announcements received, by outcome (accepted, or the rejection reason).', labelNames: ['outcome'], registers,
      collect() { const a = src.announce(); setTotals(this, [[{ outcome: 'accepted' }, a.accepted], ...Object.entries(a.rejected).map(([r, n]) => [{ outcome: r }, n] as [Record<string, string>, number])]); } });
    new Counter({ name: 'ioe_announce_connections_total', help: 'TLS connections accepted on the announcement port.', registers,
      collect() { setTotals(this, [[{}, src.announce().connections]]); } });
    new Counter({ name: 'ioe_announce_connections_closed_total', help: 'Announcement connections closed by the appliance, by reason.', labelNames: ['reason'], registers,
      collect() { setTotals(this, Object.entries(src.announce().closed).map(([r, n]) => [{ reason: r }, n])); } });
    new Gauge({ name: 'ioe_tasks', help: 'Assessment tasks by state (queued, running).', labelNames: ['state'], registers,
      collect() { const t = src.tasks(); setGauges(this, [[{ state: 'queued' }, t.queued], [{ state: 'running' }, t.running]]); } });
    new Gauge({ name: 'ioe_task_devices', help: 'Devices in tasks: SNMP conversations in flight and waiting for a slot.', labelNames: ['state'], registers,
      collect() { const t = src.tasks(); setGauges(this, [[{ state: 'in-flight' }, t.devicesInFlight], [{ state: 'waiting' }, t.devicesWaiting]]); } });
    this.taskDuration = new Histogram({ name: 'ioe_task_duration_seconds', help: 'Wall time of finished tasks, from start to finish.', labelNames: ['type', 'state'], registers,
      buckets: [0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600] });
    this.snmpRuns = new Counter({ name: 'ioe_snmp_device_runs_total', help: 'Device assessments over SNMP, by resulting status.', labelNames: ['status'], registers });
    this.snmpRoundTrips = new Counter({ name: 'ioe_snmp_round_trips_total', help: 'SNMP requests sent (including retries and v3 discovery).', registers });
    this.snmpFailures = new Counter({ name: 'ioe_snmp_failures_total', help: 'Device assessments that got no usable SNMP answer, by reason.', labelNames: ['reason'], registers });
    this.snmpDuration = new Histogram({ name: 'ioe_snmp_device_run_duration_seconds', help: 'Time to assess (and remediate) one device over SNMP.', registers,
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30] });
    new Counter({ name: 'ioe_dns_responses_total', help: 'DNS queries answered, by result (answered, forwarded, refused, servfail, …).', labelNames: ['result'], registers,
      collect() { const d = src.dns(); setTotals(this, Object.entries(d?.counters ?? {}).map(([r, n]) => [{ result: r }, n])); } });
    new Counter({ name: 'ioe_dns_dropped_total', help: 'DNS packets dropped unanswered, by reason (rate limit, malformed, …).', labelNames: ['reason'], registers,
      collect() { const d = src.dns(); setTotals(this, Object.entries(d?.dropped ?? {}).map(([r, n]) => [{ reason: r }, n])); } });
    new Gauge({ name: 'ioe_forward_backlog_messages', help: 'Relays queued for secondary listeners.', registers,
      collect() { this.set(src.forwarding()?.backlog ?? 0); } });
    new Gauge({ name: 'ioe_forward_backlog_bytes', help: 'Bytes of relays queued for secondary listeners.', registers,
      collect() { this.set(src.forwarding()?.backlogBytes ?? 0); } });
    new Counter({ name: 'ioe_forward_dropped_total', help: 'Relays dropped by the outbox bounds, by reason.', labelNames: ['reason'], registers,
      collect() { setTotals(this, Object.entries(src.forwarding()?.dropped ?? {}).map(([r, n]) => [{ reason: r }, n])); } });
    this.commitLatency = new Histogram({ name: 'ioe_store_commit_duration_seconds', help: 'Time from a store write to its durable (fsynced) commit.', registers,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5] });
    new Gauge({ name: 'ioe_store_commit_queue', help: 'Store writes waiting for the next group commit.', registers,
      collect() { this.set(src.storeQueued()); } });
    new Gauge({ name: 'ioe_alerts_open', help: 'Open alerts by kind.', labelNames: ['kind'], registers,
      collect() { setGauges(this, Object.entries(src.alertsOpen()).map(([k, n]) => [{ kind: k }, n])); } });
    new Counter({ name: 'ioe_syslog_messages_total', help: 'Syslog messages handed to each target\'s connection.', labelNames: ['target'], registers,
      collect() { setTotals(this, src.syslog().map((s) => [{ target: s.target }, s.sent])); } });
    new Counter({ name: 'ioe_syslog_dropped_total', help: 'Syslog messages dropped because a target\'s queue was full.', labelNames: ['target'], registers,
      collect() { setTotals(this, src.syslog().map((s) => [{ target: s.target }, s.dropped])); } });
    new Gauge({ name: 'ioe_syslog_queue_messages', help: 'Syslog messages waiting for each target.', labelNames: ['target'], registers,
      collect() { setGauges(this, src.syslog().map((s) => [{ target: s.target }, s.queued])); } });
    new Gauge({ name: 'ioe_alert_mail_queue_messages', help: 'Alert changes waiting to be e-mailed (kept on disk).', registers,
      collect() { this.set(src.mail().queued); } });
    new Counter({ name: 'ioe_alert_mail_sent_total', help: 'Alert e-mails (single or digest) the mail server accepted.', registers,
      collect() { setTotals(this, [[{}, src.mail().sent]]); } });
  }

  /** Store commit latency, from Store.observeCommits. */
  observeCommit = (seconds: number): void => { this.commitLatency.observe(seconds); };

  /** Task engine 'task' events: a finished task's duration is observed once. */
  observeTask = (t: { id: string; type: string; state: string; startedAt?: string; finishedAt?: string }): void => {
    if (!t.finishedAt || !['done', 'failed', 'cancelled'].includes(t.state) || this.seenTasks.has(t.id)) return;
    this.seenTasks.add(t.id);
    if (this.seenTasks.size > 10_000) this.seenTasks.delete(this.seenTasks.values().next().value!);
    const start = Date.parse(t.startedAt ?? t.finishedAt);
    this.taskDuration.observe({ type: t.type, state: t.state }, Math.max(0, (Date.parse(t.finishedAt) - start) / 1000));
  };

  /** Wraps the task engine's per-device SNMP runner to count round trips, outcomes and time. */
  meterSnmp<A extends unknown[], R extends { record: { status: string; roundTrips?: number } }>(run: (...args: A) => Promise<R>): (...args: A) => Promise<R> {
    return async (...args: A) => {
      const end = this.snmpDuration.startTimer();
      try {
        const r = await run(...args);
        this.snmpRuns.inc({ status: r.record.status });
        this.snmpRoundTrips.inc(r.record.roundTrips ?? 0);
        if (SNMP_FAILURES.has(r.record.status)) this.snmpFailures.inc({ reason: r.record.status });
        return r;
      } catch (err) {
        this.snmpFailures.inc({ reason: 'error' });
        throw err;
      } finally {
        end();
      }
    };
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}

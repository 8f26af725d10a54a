// Observability (issue 16 items 2–4) put together: the alert center with e-mail delivery and its checks, the
// syslog forwarder and the Prometheus metrics. Built before the other rooms (the task engine's SNMP runner
// and the store's commits are metered), started as one component once the rooms it watches run.
import { statfs } from 'node:fs/promises';
import { X509Certificate } from 'node:crypto';
import type { Store } from '../store/index.ts';
import type { SettingsView } from '../config/index.ts';
import { componentLogger, type Logger } from '../util/log.ts';
import { AlertCenter, AlertMailer, DeviceAlerts, checks, type AlertChange } from '../alerts/index.ts';
import type { SmtpConfig } from '../alerts/index.ts';
import { SyslogForwarder } from '../syslog/index.ts';
import { alertEvent, auditEvent, deviceEvent } from '../syslog/index.ts';
import { ApplianceMetrics } from '../metrics/index.ts';
import type { MetricsAccess } from '../metrics/index.ts';
import { observabilityRoutes, type ObservabilityApi } from '../api/routes/observability.ts';
import type { RouteInstaller } from '../api/index.ts';
import { component, type Component } from '../util/component.ts';
import type { DeviceRegistry } from '../devices/index.ts';
import type { AnnounceRate } from '../devices/index.ts';
import type { SerialFilter } from '../devices/index.ts';
import type { TrustRepo } from '../pki/index.ts';
import type { Forwarder } from '../forward/index.ts';
import type { TaskEngine } from '../tasks/index.ts';
import type { EventHub } from '../api/routes/events.ts';

export interface ObservabilityBase { store: Store; settings: SettingsView; log: Logger; dataDir: string; version: string }

/** The running components the checks and metrics read; every one of them exists on a started appliance. */
export interface ObservedParts {
  registry: DeviceRegistry;
  announce: () => { connections: number; accepted: number; rejected: Record<string, number>; closed: Record<string, number> };
  tasks: TaskEngine;
  dns: () => { counters: Record<string, number>; dropped: Record<string, number> } | undefined;
  forwarder?: Forwarder;
  announceRate: AnnounceRate;
  serials: SerialFilter;
  trust: TrustRepo;
  identity: () => { certPem: string; keyPem: string; chainPem: string[] };
  events: EventHub;
  /** Accepts a bearer token the API accepts (GET /metrics). */
  apiToken: (token: string) => boolean;
}

const CHECK_EVERY_MS = 15_000;

export class Observability implements ObservabilityApi {
  readonly alerts: AlertCenter;
  readonly mailer: AlertMailer;
  /** The SMTP settings as the mailer uses them (alerts and scheduled reports go out the same way). */
  readonly smtp: () => SmtpConfig;
  readonly syslog: SyslogForwarder;
  readonly metrics: ApplianceMetrics;
  readonly metricsAccess: MetricsAccess;
  private parts?: ObservedParts;
  private timer?: NodeJS.Timeout;
  private unsubscribe: (() => void)[] = [];
  private readonly log: Logger;

  constructor(private readonly base: ObservabilityBase) {
    const { store, settings } = base;
    this.log = componentLogger(base.log, 'alerts');
    this.alerts = new AlertCenter({ store, log: this.log });
    const trusted = () => this.parts?.trust.caPems() ?? [];
    this.smtp = () => ({ host: settings.get('smtpHost'), port: settings.get('smtpPort'), security: settings.get('smtpSecurity'), verifyCertificate: settings.get('smtpVerifyCertificate'),
      user: settings.get('smtpUser'), password: settings.get('smtpPassword'), from: settings.get('smtpFrom'), timeoutMs: settings.get('smtpTimeoutMs'), ca: trusted() });
    this.mailer = new AlertMailer({
      store, log: componentLogger(base.log, 'mail'), appliance: () => settings.get('listenerId') || 'appliance',
      digestSeconds: () => settings.get('alertDigestSeconds'),
      smtp: this.smtp,
      onHealth: (failing) => failing ? this.alerts.raise('mail-failing', 'smtp', { message: failing }) : this.alerts.resolve('mail-failing', 'smtp'),
    });
    this.syslog = new SyslogForwarder({
      targets: () => settings.get('syslogTargets'), facility: () => settings.get('syslogFacility'), queueMax: () => settings.get('syslogQueueMax'),
      version: base.version, log: componentLogger(base.log, 'syslog'), connectTimeoutMs: () => settings.get('syslogTimeoutMs'),
      tls: () => { const id = this.parts?.identity(); return { ca: trusted(), key: id?.keyPem, cert: id ? [id.certPem, ...id.chainPem].join('') : undefined }; },
    });
    this.metricsAccess = { token: () => settings.get('metricsToken'), allowFrom: () => settings.get('metricsAllowFrom'), apiToken: (t) => this.parts?.apiToken(t) ?? false };
    this.metrics = new ApplianceMetrics({
      complianceCounts: () => {
        const out: Record<string, number> = {};
        for (const d of this.parts?.registry.list() ?? []) { const s = d.compliance?.status ?? 'not-assessed'; out[s] = (out[s] ?? 0) + 1; }
        return out;
      },
      announce: () => this.parts?.announce() ?? { connections: 0, accepted: 0, rejected: {}, closed: {} },
      tasks: () => this.parts?.tasks.stats() ?? { queued: 0, running: 0, devicesInFlight: 0, devicesWaiting: 0 },
      dns: () => this.parts?.dns(),
      forwarding: () => this.parts?.forwarder?.stats(),
      storeQueued: () => store.commitStats().queued,
      alertsOpen: () => this.alerts.stats().open as Record<string, number>,
      syslog: () => this.syslog.status(),
      mail: () => { const v = this.mailer.view(); return { queued: v.queued, sent: v.sent, consecutiveFailures: v.consecutiveFailures }; },
    });
    this.unsubscribe.push(store.observeCommits(this.metrics.observeCommit));
    this.alerts.addSink(this.mailer);
  }

  /** The API routes (alerts, subscriptions, syslog status, GET /metrics). */
  get routes(): RouteInstaller { return observabilityRoutes(this); }

  /** One component: loads the alerts and the mail queue, then starts delivery and the checks. */
  component(parts: () => ObservedParts): Component {
    return component('observability', async () => { await this.load(); this.attach(parts()); }, () => this.stop());
  }

  async load(): Promise<void> {
    await this.alerts.load();
    await this.mailer.load();
  }

  /** Starts delivery and the checks once the other components run. */
  attach(parts: ObservedParts): void {
    this.parts = parts;
    const { settings } = this.base;
    const devices = new DeviceAlerts(this.alerts, parts.registry.list());
    this.alerts.addSink({ changed: (c: AlertChange) => { parts.events.publish('alert', c); this.syslog.send(alertEvent(c)); } });
    const onDevice = (e: Parameters<typeof deviceEvent>[0]) => {
      devices.onDevice(e.device as never, !['discovery', 'manual'].includes(String((e as { via?: string }).via)));
      this.syslog.send(deviceEvent(e));
    };
    parts.registry.on('device', onDevice);
    this.unsubscribe.push(() => parts.registry.off('device', onDevice));
    const onIdentity = (e: { device: Parameters<DeviceAlerts['onIdentity']>[0]; change: Parameters<DeviceAlerts['onIdentity']>[1] }) => devices.onIdentity(e.device, e.change);
    parts.registry.on('identity', onIdentity);
    this.unsubscribe.push(() => parts.registry.off('identity', onIdentity));
    this.unsubscribe.push(parts.events.subscribe((type, data) => { if (type === 'audit') this.syslog.send(auditEvent(data as never)); }));
    const onTask = (t: Parameters<ApplianceMetrics['observeTask']>[0]) => this.metrics.observeTask(t);
    parts.tasks.on('task', onTask);
    this.unsubscribe.push(() => parts.tasks.off('task', onTask));
    this.unsubscribe.push(settings.onChange((key) => { if (key === 'syslogTargets') this.syslog.reload(); }));
    this.syslog.start();
    this.mailer.start();
    this.timer = setInterval(() => void this.checkNow(), CHECK_EVERY_MS);
    this.timer.unref();
    void this.checkNow();
  }

  /** Looks at every polled condition once (also the tests' way to not wait for the interval). */
  async checkNow(): Promise<void> {
    const p = this.parts;
    if (!p) return;
    const { settings } = this.base;
    const now = new Date();
    try {
      this.alerts.sync('device-too-often', checks.tooOften(p.announceRate.flagged(), settings.get('announceTooOftenPerHour')));
      this.alerts.sync('device-unlisted', checks.unlisted(p.serials.view().unlisted.map((u) => ({ ...u })), now, settings.get('useSerialList')));
      if (p.forwarder) {
        const f = checks.forwarding(p.forwarder.list(), p.forwarder.stats().alerts, now, { backlog: settings.get('alertForwardBacklog') });
        this.alerts.sync('forward-listener-failing', f.failing);
        this.alerts.sync('forward-backlog', f.backlog);
      }
      const days = settings.get('alertExpiryDays');
      const id = p.identity();
      const certs = [{ key: 'appliance-identity', what: 'the appliance identity certificate', at: new Date(new X509Certificate(id.certPem).validTo) },
        ...p.trust.trust.all().map((c) => ({ key: `ca:${c.fingerprint}`, what: `trusted CA "${c.subject.text}"`, at: c.notAfter }))];
      this.alerts.sync('certificate-expiry', checks.expiring(certs, now, days, 'expires'));
      this.alerts.sync('crl-expiry', checks.expiring([...p.trust.crls].map((c) => ({ key: `crl:${c.issuer.text}`, what: `the CRL of "${c.issuer.text}"`, at: c.nextUpdate })), now, days, 'is due'));
      this.alerts.sync('syslog-failing', checks.deliveryFailing(this.syslog.status()));
      const health = this.base.store.health();
      this.alerts.sync('store-degraded', health.status === 'ok' ? new Map() : new Map([['store', { message: `the store is ${health.status}: ${health.reasons.join('; ')}`, status: health.status }]]));
      const fs = await statfs(this.base.dataDir);
      this.alerts.sync('disk-low', checks.diskLow(fs.bavail * fs.bsize, fs.blocks * fs.bsize, settings.get('alertDiskFreeMb'), this.base.dataDir));
    } catch (err) {
      this.log.error({ err }, 'alert checks failed');
    }
  }

  syslogTest(by: string): void {
    this.syslog.send({ msgId: 'TEST', severity: 'notice', sd: [{ id: 'meta', params: { language: 'en' } }], message: `test message requested by ${by}` });
  }

  status() {
    return { alerts: this.alerts.stats(), mail: this.mailer.view(), syslog: this.syslog.status() };
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    for (const u of this.unsubscribe.splice(0)) u();
    await this.mailer.stop();
    await this.syslog.stop();
  }
}

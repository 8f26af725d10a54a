// Device events for central systems: every registry event (discovered, announced, changed, a compliance
// result) is published to an MQTT broker with QoS 1 on <prefix>/devices/<serial>/events, and the device's
// current state is kept retained on <prefix>/devices/<serial>/state so a subscriber that joins late sees
// every device at once. mqtt.js reconnects by itself; while the broker is away at most `maxQueued` messages
// wait in memory and what goes beyond is counted as dropped and logged, never silently.
import { rootCertificates } from 'node:tls';
import type { MqttClient } from 'mqtt';
import type { Logger } from '../util/log.ts';
import type { Device } from '../devices/index.ts';
import type { DeviceEvent } from '../devices/index.ts';

export interface DeviceEventSource {
  on(event: 'device', fn: (e: DeviceEvent) => void): unknown;
  on(event: 'removed', fn: (e: { serialNumber: string }) => void): unknown;
  off(event: 'device' | 'removed', fn: (...args: any[]) => void): unknown;
}

export interface MqttEventsOptions {
  url: string;
  topicPrefix: string;
  clientId: string;
  source: DeviceEventSource;
  /** Devices already known at start (read when it starts), so an old assessment is not reported as a new result. */
  known?: () => Device[];
  log: Logger;
  maxQueued?: number;
  /** For mqtts://: CAs that may sign the broker's certificate besides the system's (the appliance's trusted CAs). */
  ca?: () => string[];
}

export type DeviceEventType = DeviceEvent['type'] | 'compliance';

function summary(d: Device) {
  return { serialNumber: d.serialNumber, macAddress: d.macAddress, model: d.model, ipv4: d.ipv4, ipv6: d.ipv6, hostname: d.hostname,
    firmware: d.firmware, vendor: d.vendor, foundBy: d.foundBy, peerAddress: d.peerAddress, firstSeen: d.firstSeen, lastSeen: d.lastSeen, lastReason: d.lastReason,
    announceCount: d.announceCount, forwardedBy: d.forwardedBy,
    compliance: d.compliance && { status: d.compliance.status, policyId: d.compliance.policyId, policyName: d.compliance.policyName, at: d.compliance.at,
      changed: d.compliance.settings.filter((s) => s.changed).map((s) => s.id), nonCompliant: d.compliance.settings.filter((s) => !s.compliant).map((s) => s.id) } };
}

export class MqttEvents {
  private client?: MqttClient;
  private queued = 0;
  private lastCompliance = new Map<string, string>();
  readonly counters = { published: 0, dropped: 0, failed: 0 };
  private readonly handler = (e: DeviceEvent) => this.onDevice(e);

  constructor(private readonly opts: MqttEventsOptions) {}

  async start(): Promise<void> {
    // Loaded only when a broker is configured (most appliances have none): mqtt.js is ~2 MB of heap and RSS.
    const { connect } = await import('mqtt');
    for (const d of this.opts.known?.() ?? []) if (d.compliance) this.lastCompliance.set(d.serialNumber, d.compliance.at);
    const { log } = this.opts;
    // A branch broker often has a company-CA certificate: trusting only the system CAs pushed admins to plain mqtt://.
    const ca = this.opts.ca?.() ?? [];
    this.client = connect(this.opts.url, { clientId: this.opts.clientId, clean: true, reconnectPeriod: 2000, connectTimeout: 10_000,
      rejectUnauthorized: true, ...(ca.length ? { ca: [...rootCertificates, ...ca] } : {}) });
    let connectedOnce = false;
    this.client.on('connect', () => { connectedOnce = true; log.info({ url: this.safeUrl }, 'MQTT broker connected'); });
    this.client.on('offline', () => { if (connectedOnce) log.warn({ url: this.safeUrl }, 'MQTT broker offline; events are queued (bounded)'); });
    this.client.on('error', (err) => log.warn({ url: this.safeUrl, err: err.message }, 'MQTT error'));
    this.opts.source.on('device', this.handler);
    this.opts.source.on('removed', this.removed);
  }

  async stop(): Promise<void> {
    this.opts.source.off('device', this.handler);
    this.opts.source.off('removed', this.removed);
    await this.client?.endAsync().catch(() => undefined);
  }

  get connected(): boolean { return this.client?.connected ?? false; }
  stats() { return { url: this.safeUrl, connected: this.connected, queued: this.queued, ...this.counters }; }

  private get safeUrl(): string {
    try { const u = new URL(this.opts.url); u.password = ''; u.username = ''; return u.toString(); } catch { return 'invalid'; }
  }

  private onDevice(e: DeviceEvent) {
    const d = e.device;
    // `changed` also fires for a stored assessment: a compliance.at not seen before is a compliance result.
    const at = d.compliance?.at;
    const type: DeviceEventType = e.type === 'changed' && at && this.lastCompliance.get(d.serialNumber) !== at ? 'compliance' : e.type;
    if (at) this.lastCompliance.set(d.serialNumber, at);
    const base = `${this.opts.topicPrefix}/devices/${d.serialNumber}`;
    const state = summary(d);
    this.publish(`${base}/events`, { type, at: new Date().toISOString(), reason: e.reason, via: e.via, source: this.opts.clientId, device: state }, false);
    this.publish(`${base}/state`, state, true);
  }

  /** A deleted device: one `removed` event, and its retained state cleared (an empty retained message, MQTT 3.1.1 §3.3.1.3). */
  private readonly removed = (e: { serialNumber: string }) => {
    const base = `${this.opts.topicPrefix}/devices/${e.serialNumber}`;
    this.lastCompliance.delete(e.serialNumber);
    this.publish(`${base}/events`, { type: 'removed', at: new Date().toISOString(), source: this.opts.clientId, serialNumber: e.serialNumber }, false);
    this.publish(`${base}/state`, '', true);
  };

  /** A note about a device that is not a change of the device itself (joined or left a group), on its events topic. */
  deviceNote(serial: string, type: string, data: Record<string, unknown>): void {
    this.publish(`${this.opts.topicPrefix}/devices/${serial}/events`, { type, at: new Date().toISOString(), source: this.opts.clientId, ...data }, false);
  }

  private publish(topic: string, payload: unknown, retain: boolean) {
    const max = this.opts.maxQueued ?? 10_000;
    if (!this.client || this.queued >= max) {
      this.counters.dropped++;
      if (this.counters.dropped === 1 || this.counters.dropped % 1000 === 0) this.opts.log.error({ dropped: this.counters.dropped, max }, 'MQTT queue full; device events dropped');
      return;
    }
    this.queued++;
    this.client.publish(topic, payload === '' ? '' : JSON.stringify(payload), { qos: 1, retain }, (err) => {
      this.queued--;
      if (err) { this.counters.failed++; this.opts.log.warn({ topic, err: err.message }, 'MQTT publish failed'); } else this.counters.published++;
    });
  }
}

// GET /api/v1/events: server-sent events for the admin page (device discovered/changed, task progress,
// audit entries). One in-process hub; any room may publish through it. A slow client is dropped rather than
// buffered without bound: the page reconnects (EventSource does) and refetches its lists.
import type Router from '@koa/router';
import type { DeviceRegistry } from '../../devices/registry.ts';
import type { AppServices } from '../services.ts';
import { stillSignedIn, type AuthState } from '../auth.ts';

export interface EventPublisher {
  /** `type` becomes the SSE event name (`device`, `task`, `audit`, …); `data` is sent as JSON. */
  publish(type: string, data: unknown): void;
}

/** Optional service the lead adds to AppServices (`events: new EventHub()`); absent → the API makes its own. */
export interface EventServices { events?: EventHub }

type Listener = (type: string, data: unknown) => void;

const HOUR = 3600_000;
const MAX_CLIENT_BACKLOG = 1 << 20; // bytes queued for one client before it is dropped
const HEARTBEAT_MS = 20_000;

export class EventHub implements EventPublisher {
  private listeners = new Set<Listener>();
  /** Announcements per hour, newest last (the dashboard chart); seeded from lastSeen at attach. */
  private hourly = new Map<number, number>();
  private attached = false;
  private tasksAttached = false;
  private lastCounted = new Map<string, string>();

  constructor(private readonly now: () => number = Date.now) {}

  publish(type: string, data: unknown): void {
    for (const l of this.listeners) {
      try { l(type, data); } catch { /* one broken subscriber never stops the others */ }
    }
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  get subscribers(): number { return this.listeners.size; }

  /** Forwards the registry's device events and counts announcements per hour. Idempotent. */
  attachRegistry(registry: DeviceRegistry): void {
    if (this.attached) return;
    this.attached = true;
    // Before a restart only each device's last announcement is known cheaply; history fills in from here on.
    for (const d of registry.list()) {
      const last = d.foundBy?.announcement?.last;
      if (last) { this.lastCounted.set(d.serialNumber, last); this.count(Date.parse(last)); }
    }
    registry.on('device', (e) => {
      // `changed` also fires on update() by other rooms (compliance), and discovery moves lastSeen too: only
      // an announcement's new lastSeen is an announcement.
      if (e.via === 'announcement' && this.lastCounted.get(e.device.serialNumber) !== e.device.lastSeen) {
        this.lastCounted.set(e.device.serialNumber, e.device.lastSeen);
        this.count(Date.parse(e.device.lastSeen));
      }
      this.publish('device', { type: e.type, reason: e.reason, via: e.via, device: e.device });
    });
    registry.on('removed', (e) => this.publish('device-removed', { serialNumber: e.serialNumber }));
  }

  /** Forwards task progress (the engine emits its record on every change) without per-device outcomes. */
  attachTasks(engine: { on(event: 'task', fn: (t: any) => void): unknown } | undefined): void {
    if (!engine || this.tasksAttached) return;
    this.tasksAttached = true;
    engine.on('task', (t) => {
      // Parameters and results (a discovery job's uploaded list, its non-printers) stay with GET /api/v1/tasks/:id.
      const { outcomes, params: _params, result: _result, ...rest } = t ?? {};
      this.publish('task', { ...rest, done: t?.progress?.done ?? Object.keys(outcomes ?? {}).length, total: t?.progress?.total ?? (Array.isArray(t?.serials) ? t.serials.length : 0) });
    });
  }

  announcementsPerHour(hours = 24): { start: string; count: number }[] {
    const current = Math.floor(this.now() / HOUR);
    const out = [];
    for (let h = current - hours + 1; h <= current; h++) out.push({ start: new Date(h * HOUR).toISOString(), count: this.hourly.get(h) ?? 0 });
    return out;
  }

  private count(at: number) {
    if (!Number.isFinite(at)) return;
    const h = Math.floor(at / HOUR);
    this.hourly.set(h, (this.hourly.get(h) ?? 0) + 1);
    const oldest = Math.floor(this.now() / HOUR) - 48;
    for (const k of this.hourly.keys()) if (k < oldest) this.hourly.delete(k);
  }
}

function frame(type: string, data: unknown): string {
  return `event: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
}

export function eventRoutes(hub: EventHub) {
  return (router: Router, s: AppServices) => {
    router.get('/api/v1/events', (ctx) => {
      const socket = ctx.req.socket;
      socket.setTimeout(0);
      socket.setNoDelay(true);
      socket.setKeepAlive(true);
      // Written to the response directly: a stream body would make Koa report every closed tab as an error.
      ctx.respond = false;
      const res = ctx.res;
      res.writeHead(200, { ...(ctx.response.headers as Record<string, string>), 'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-store', 'X-Accel-Buffering': 'no' });
      res.write(`retry: 3000\n${frame('hello', { at: new Date().toISOString() })}`);
      let closed = false;
      // Signed out, password changed, session expired or API token revoked: the stream ends with them.
      const auth = ctx.state.auth as AuthState | undefined;
      const alive = () => stillSignedIn(s, auth);
      const close = () => {
        if (closed) return;
        closed = true;
        clearInterval(beat);
        unsubscribe();
        res.end();
      };
      const send = (type: string, data: unknown) => {
        if (closed) return;
        if (res.writableLength > MAX_CLIENT_BACKLOG || !alive()) { close(); return; }
        res.write(frame(type, data));
      };
      const unsubscribe = hub.subscribe(send);
      const beat = setInterval(() => { if (closed) return; if (!alive()) { close(); return; } res.write(': keep-alive\n\n'); }, HEARTBEAT_MS);
      beat.unref();
      res.on('close', close);
      res.on('error', close);
    });

    router.get('/api/v1/stats/announcements', async (ctx) => {
      // From the stored hourly records when they run (they survive restarts), else from memory since start.
      if (s.history) {
        const points = await s.history.series(Date.now() - 23 * HOUR, Date.now(), 'hour');
        ctx.body = { hours: points.map((p) => ({ start: p.start, count: p.accepted, rejected: p.rejected })) };
        return;
      }
      ctx.body = { hours: hub.announcementsPerHour(24) };
    });
  };
}

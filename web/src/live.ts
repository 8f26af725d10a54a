// Live state: devices and tasks, loaded once and then kept current from /api/v1/events. Bursts (a fleet
// booting) are applied in batches so the page renders a few times a second, not once per announcement.
import { api, csrf } from './api.ts';
import { Box } from './store.ts';

export type Device = Record<string, any> & { serialNumber: string };
export type Task = Record<string, any> & { id: string };

export const devices = new Box<Map<string, Device>>(new Map());
export const devicesLoaded = new Box(false);
export const tasks = new Box<Map<string, Task>>(new Map());
export const tasksAvailable = new Box<boolean | undefined>(undefined);
export const connection = new Box<'connecting' | 'live' | 'offline'>('connecting');
export const auditFeed = new Box<any[]>([]);
/** Bumped on every alert raised or resolved: the dashboard and the Alerts page refetch their summary. */
export const alertTick = new Box(0);
/** Bumped on every device event: detail views refetch their device when it is theirs. */
export const deviceTick = new Box<{ serial: string; n: number }>({ serial: '', n: 0 });

let source: EventSource | undefined;
let pendingDevices: Device[] = [];
let pendingTasks: Task[] = [];
let flushTimer: number | undefined;

function flush() {
  flushTimer = undefined;
  if (pendingDevices.length) {
    const next = new Map(devices.value);
    for (const d of pendingDevices) next.set(d.serialNumber, d);
    const last = pendingDevices[pendingDevices.length - 1];
    pendingDevices = [];
    devices.set(next);
    deviceTick.set({ serial: last.serialNumber, n: deviceTick.value.n + 1 });
  }
  if (pendingTasks.length) {
    const next = new Map(tasks.value);
    for (const t of pendingTasks) next.set(t.id, { ...next.get(t.id), ...t });
    pendingTasks = [];
    // Keep the page's memory bounded during long floods: drop the oldest finished tasks first.
    if (next.size > 3000) {
      const finished = [...next.values()].filter((t) => t.state !== 'queued' && t.state !== 'running')
        .sort((a, b) => String(a.createdAt).localeCompare(String(b.createdAt)));
      for (const t of finished.slice(0, next.size - 3000)) next.delete(t.id);
    }
    tasks.set(next);
  }
}

const schedule = () => { flushTimer ??= window.setTimeout(flush, 150); };

export async function loadDevices() {
  const r = await api<{ devices: Device[] }>('GET', '/api/v1/devices');
  devices.set(new Map(r.devices.map((d) => [d.serialNumber, d])));
  devicesLoaded.set(true);
}

export async function loadTasks() {
  try {
    const r = await api<{ tasks: Task[] }>('GET', '/api/v1/tasks?limit=500');
    tasks.set(new Map(r.tasks.map((t) => [t.id, t])));
    tasksAvailable.set(true);
  } catch (e: any) {
    if (e?.status === 404) tasksAvailable.set(false);
  }
}

export function startLive() {
  stopLive();
  connection.set('connecting');
  const es = new EventSource(`/api/v1/events?csrf=${encodeURIComponent(csrf())}`);
  source = es;
  // Every (re)connect may have missed events: reload the lists, then follow.
  es.addEventListener('hello', () => {
    connection.set('live');
    void loadDevices().catch(() => undefined);
    void loadTasks();
  });
  es.addEventListener('device', (ev) => {
    const e = JSON.parse((ev as MessageEvent).data);
    if (e?.device?.serialNumber) { pendingDevices.push(e.device); schedule(); }
  });
  es.addEventListener('device-removed', (ev) => {
    const serial = JSON.parse((ev as MessageEvent).data)?.serialNumber;
    // Pending updates first, so a burst that ends in a delete leaves the device gone.
    if (serial) { clearTimeout(flushTimer); flush(); const next = new Map(devices.value); next.delete(serial); devices.set(next); }
  });
  es.addEventListener('task', (ev) => {
    const t = JSON.parse((ev as MessageEvent).data);
    if (t?.id) { pendingTasks.push(t); schedule(); }
  });
  es.addEventListener('alert', () => { alertTick.set(alertTick.value + 1); });
  es.addEventListener('audit', (ev) => {
    auditFeed.set([JSON.parse((ev as MessageEvent).data), ...auditFeed.value].slice(0, 200));
  });
  es.onerror = () => {
    connection.set(es.readyState === EventSource.CLOSED ? 'offline' : 'connecting');
    // A closed stream is usually an ended session: asking /session finds out (401 → sign-in page).
    if (es.readyState === EventSource.CLOSED) void api('GET', '/api/v1/session').then(() => setTimeout(startLive, 3000), () => undefined);
  };
}

export function stopLive() {
  source?.close();
  source = undefined;
}

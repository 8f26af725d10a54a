// The live connection (GET /api/v1/events). The page holds no copy of the fleet: each screen asks the server
// for the page it shows and patches those rows from the events here. Bursts (a fleet booting) are handed to
// listeners in batches, a few times a second, not once per announcement.
import type { ServerEvents } from '../../appliance/src/contract/index.ts';
import { call, csrf } from './api.ts';
import { Box } from './store.ts';

export type EventName = keyof ServerEvents;
export type Task = ServerEvents['task'];
export type DeviceEvent = ServerEvents['device'];

export const connection = new Box<'connecting' | 'live' | 'offline'>('connecting');
/** Bumped on every (re)connect: screens reload what they show (events may have been missed meanwhile). */
export const reconnects = new Box(0);
/** Tasks seen changing since the page opened, newest state each (bounded): screens overlay them on their page. */
export const tasks = new Box<Map<string, Task>>(new Map());
export const auditFeed = new Box<ServerEvents['audit'][]>([]);
/** Bumped on every alert raised or resolved: the dashboard and the Alerts page refetch their summary. */
export const alertTick = new Box(0);
/** Bumped on every device event: detail views refetch their device when it is theirs. */
export const deviceTick = new Box<{ serial: string; n: number }>({ serial: '', n: 0 });

type Listener<E extends EventName> = (batch: ServerEvents[E][]) => void;
const listeners = new Map<EventName, Set<Listener<EventName>>>();
const pending = new Map<EventName, unknown[]>();
let flushTimer: number | undefined;

/** Follows one kind of event; the listener gets them in batches. Returns the unsubscribe function. */
export function onEvents<E extends EventName>(name: E, fn: Listener<E>): () => void {
  let set = listeners.get(name);
  if (!set) listeners.set(name, (set = new Set()));
  set.add(fn as Listener<EventName>);
  return () => { set!.delete(fn as Listener<EventName>); };
}

const TASKS_KEPT = 3000;

function flush() {
  flushTimer = undefined;
  const batches = [...pending.entries()];
  pending.clear();
  for (const [name, batch] of batches) {
    if (name === 'task') {
      const next = new Map(tasks.value);
      for (const t of batch as Task[]) next.set(t.id, { ...next.get(t.id), ...t });
      // Keep the page's memory bounded during long floods: the oldest first.
      if (next.size > TASKS_KEPT) for (const id of [...next.keys()].slice(0, next.size - TASKS_KEPT)) next.delete(id);
      tasks.set(next);
    }
    if (name === 'device') {
      const last = (batch as DeviceEvent[]).at(-1)!;
      deviceTick.set({ serial: last.device.serialNumber, n: deviceTick.value.n + 1 });
    }
    for (const fn of listeners.get(name) ?? []) { try { fn(batch as never); } catch { /* one screen's bug never stops the others */ } }
  }
}

function queue(name: EventName, data: unknown) {
  let list = pending.get(name);
  if (!list) pending.set(name, (list = []));
  list.push(data);
  flushTimer ??= window.setTimeout(flush, 150);
}

let source: EventSource | undefined;

export function startLive() {
  stopLive();
  connection.set('connecting');
  const es = new EventSource(`/api/v1/events?csrf=${encodeURIComponent(csrf())}`);
  source = es;
  es.addEventListener('hello', () => { connection.set('live'); reconnects.set(reconnects.value + 1); });
  for (const name of ['device', 'device-removed', 'task', 'membership', 'identity-changed'] as const) {
    es.addEventListener(name, (ev) => { queue(name, JSON.parse((ev as MessageEvent<string>).data)); });
  }
  es.addEventListener('alert', () => { alertTick.set(alertTick.value + 1); });
  es.addEventListener('audit', (ev) => {
    auditFeed.set([JSON.parse((ev as MessageEvent<string>).data) as ServerEvents['audit'], ...auditFeed.value].slice(0, 200));
  });
  es.onerror = () => {
    connection.set(es.readyState === EventSource.CLOSED ? 'offline' : 'connecting');
    // A closed stream is usually an ended session: asking /session finds out (401 → sign-in page).
    if (es.readyState === EventSource.CLOSED) void call('GET /api/v1/session').then(() => setTimeout(startLive, 3000), () => undefined);
  };
}

export function stopLive() {
  source?.close();
  source = undefined;
}

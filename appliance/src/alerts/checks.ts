// Conditions found by looking: each function takes plain data the other rooms already expose and returns the
// alerts that hold now (key → detail), for AlertCenter.sync(). Pure, so each rule is tested without a network.
import type { AlertInput } from './alert-center.ts';

type Found = Map<string, AlertInput>;
const DAY = 86_400_000;

export interface ExpiringItem { key: string; what: string; at: Date | undefined }

/** Certificates (notAfter) or CRLs (nextUpdate) at or within `days` of `now`. */
export function expiring(items: ExpiringItem[], now: Date, days: number, verb: 'expires' | 'is due'): Found {
  const out: Found = new Map();
  for (const i of items) {
    if (!i.at || Number.isNaN(i.at.getTime())) continue;
    const left = i.at.getTime() - now.getTime();
    if (left > days * DAY) continue;
    const daysLeft = Math.floor(left / DAY);
    out.set(i.key, { message: left <= 0 ? `${i.what} ${verb === 'expires' ? 'expired' : 'was due'} on ${i.at.toISOString().slice(0, 10)}`
      : `${i.what} ${verb} on ${i.at.toISOString().slice(0, 10)} (in ${daysLeft} day${daysLeft === 1 ? '' : 's'})`, at: i.at.toISOString(), daysLeft });
  }
  return out;
}

export interface ListenerLike {
  id: string; host: string; port: number; enabled: boolean;
  status: { consecutiveFailures: number; lastError: { code: string; message: string } | null; backlog: number; lastSuccessAt: string | null };
}

/** A secondary listener that failed this many attempts in a row is "failing"; one above the backlog bound is "backlog". */
export function forwarding(listeners: ListenerLike[], outboxAlerts: { at: string; code: string; message: string }[], now: Date,
  opts: { backlog: number; failures?: number }): { failing: Found; backlog: Found } {
  const failing: Found = new Map();
  const backlog: Found = new Map();
  for (const l of listeners) {
    if (!l.enabled) continue;
    const target = `${l.host}:${l.port}`;
    if (l.status.consecutiveFailures >= (opts.failures ?? 3)) {
      failing.set(l.id, { message: `relays to ${target} failed ${l.status.consecutiveFailures} times in a row: ${l.status.lastError?.message ?? 'no answer'}`,
        listener: target, error: l.status.lastError?.code ?? null, lastSuccessAt: l.status.lastSuccessAt });
    }
    if (l.status.backlog > opts.backlog) backlog.set(l.id, { message: `${l.status.backlog} relays queued for ${target}`, listener: target, backlog: l.status.backlog });
  }
  // The outbox says when it had to drop relays (caps, age); such a drop stays an alert for an hour.
  for (const a of outboxAlerts) {
    if (now.getTime() - Date.parse(a.at) < 3600_000) backlog.set(`outbox-${a.code}`, { message: a.message, at: a.at });
  }
  return { failing, backlog };
}

export function diskLow(freeBytes: number, totalBytes: number, thresholdMb: number, path: string): Found {
  const out: Found = new Map();
  if (thresholdMb > 0 && freeBytes < thresholdMb * 1024 * 1024) {
    const mb = Math.floor(freeBytes / 1024 / 1024);
    out.set(path, { message: `${mb} MB free on the data folder's file system (alert below ${thresholdMb} MB)`, freeMb: mb, totalMb: Math.floor(totalBytes / 1024 / 1024) });
  }
  return out;
}

/** Unlisted announcers seen within the last day while the serial list is in use. */
export function unlisted(list: { serial: string; lastSeen: string; peerAddress?: string; model?: string }[], now: Date, inUse: boolean): Found {
  const out: Found = new Map();
  if (!inUse) return out;
  for (const u of list) {
    if (now.getTime() - Date.parse(u.lastSeen) > DAY) continue;
    out.set(u.serial, { message: `${u.serial} announced but is not on the serial-number list`, peer: u.peerAddress ?? null, model: u.model ?? null, lastSeen: u.lastSeen });
  }
  return out;
}

export function tooOften(flagged: { serialNumber: string; lastHour: number }[], threshold: number): Found {
  return new Map(flagged.map((f) => [f.serialNumber, { message: `${f.serialNumber} announced ${f.lastHour} times in the last hour (limit ${threshold})`, lastHour: f.lastHour }]));
}

export function deliveryFailing(targets: { target: string; state: string; lastError: string | null; consecutiveFailures: number }[], failures = 3): Found {
  const out: Found = new Map();
  for (const t of targets) {
    if (t.consecutiveFailures >= failures) out.set(t.target, { message: `${t.target}: ${t.lastError ?? 'not answering'}`, failures: t.consecutiveFailures });
  }
  return out;
}

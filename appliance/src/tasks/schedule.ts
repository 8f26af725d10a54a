// When a schedule runs. Occurrence n is always counted from the first run (startAt), never from the
// previous run, so a monthly schedule that starts on Jan 31 runs Feb 28 (or 29), Mar 31, Apr 30: date-fns
// clamps to the month's last day, and counting from the start keeps the 31st when a month has one.
// One module per function: the package's index loads all of date-fns (~1,000 modules, ~20 MB of RSS) when the
// appliance runs from source or from a bundle that keeps packages external.
import { addDays } from 'date-fns/addDays';
import { addMonths } from 'date-fns/addMonths';
import { addWeeks } from 'date-fns/addWeeks';
import { differenceInCalendarMonths } from 'date-fns/differenceInCalendarMonths';

export type ScheduleKind = 'once' | 'daily' | 'weekly' | 'monthly' | 'every';
export interface Recurrence { kind: ScheduleKind; every?: string }

/** Parses d:h:m:s (the vendor's autoGroupFilterExecutionFrequency format) into milliseconds; null when malformed or zero. */
export function parseEvery(text: string): number | null {
  const m = /^(\d{1,4}):(\d{1,2}):(\d{1,2}):(\d{1,2})$/.exec(text.trim());
  if (!m) return null;
  const [d, h, min, s] = m.slice(1).map(Number);
  if (h > 23 || min > 59 || s > 59) return null;
  const ms = (((d * 24 + h) * 60 + min) * 60 + s) * 1000;
  return ms > 0 ? ms : null;
}

/** The n-th run (0 = startAt), or null when the recurrence has no such run. */
export function occurrence(r: Recurrence, start: Date, n: number): Date | null {
  if (n === 0) return start;
  switch (r.kind) {
    case 'once': return null;
    case 'daily': return addDays(start, n);
    case 'weekly': return addWeeks(start, n);
    case 'monthly': return addMonths(start, n);
    case 'every': { const ms = parseEvery(r.every ?? ''); return ms ? new Date(start.getTime() + n * ms) : null; }
  }
}

/** The interval between runs in ms (months count as 28 days: the shortest), for minimum-interval checks. */
export function shortestInterval(r: Recurrence): number | null {
  switch (r.kind) {
    case 'once': return null;
    case 'daily': return 86_400_000;
    case 'weekly': return 7 * 86_400_000;
    case 'monthly': return 28 * 86_400_000;
    case 'every': return parseEvery(r.every ?? '');
  }
}

/** The first run strictly after `after`, or null when there is none. */
export function nextOccurrence(r: Recurrence, start: Date, after: Date): Date | null {
  if (start > after) return start;
  let n: number;
  switch (r.kind) {
    case 'once': return null;
    case 'every': { const ms = parseEvery(r.every ?? ''); if (!ms) return null; n = Math.floor((after.getTime() - start.getTime()) / ms); break; }
    case 'daily': n = Math.floor((after.getTime() - start.getTime()) / 86_400_000) - 1; break;
    case 'weekly': n = Math.floor((after.getTime() - start.getTime()) / (7 * 86_400_000)) - 1; break;
    case 'monthly': n = differenceInCalendarMonths(after, start) - 1; break;
  }
  // The estimate is at or just below the answer (daylight-saving days are 23 or 25 h): step forward.
  for (n = Math.max(n, 0); ; n++) {
    const at = occurrence(r, start, n);
    if (!at) return null;
    if (at > after) return at;
  }
}

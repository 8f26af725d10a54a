// A report period from the query string: ISO times or plain dates (a plain `to` date means the end of that
// day, UTC). Default: the last 30 days. A period that starts or ends in the future is refused — nothing can
// be reported about it — except that "to = today" means "up to now".
export class PeriodError extends Error {
  constructor(readonly field: 'from' | 'to', message: string) { super(message); }
}

const DAY = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
export const MAX_PERIOD_DAYS = 400;
// Clocks of a browser and the appliance differ a little: "now" on the page is not "the future" here.
const SKEW_MS = 5 * 60_000;

// Nothing is reported before this; it also keeps every date computed from a period (the journal's baseline
// a year earlier, 30 days before `to`) inside what a Date can hold: `to=-271821-04-20` used to answer 500.
const EARLIEST = Date.UTC(2000, 0, 1);

function parse(field: 'from' | 'to', raw: string): number {
  if (raw.length > 40) throw new PeriodError(field, 'must be an ISO date (2026-03-01) or time (2026-03-01T10:00:00Z)');
  const ms = Date.parse(DATE_ONLY.test(raw) ? `${raw}T00:00:00Z` : raw);
  if (!Number.isFinite(ms)) throw new PeriodError(field, 'must be an ISO date (2026-03-01) or time (2026-03-01T10:00:00Z)');
  if (ms < EARLIEST) throw new PeriodError(field, 'must be in the year 2000 or later');
  return field === 'to' && DATE_ONLY.test(raw) ? ms + DAY - 1 : ms;
}

export function parsePeriod(q: { from?: string; to?: string }, now = Date.now()): { from: string; to: string } {
  let to = q.to ? parse('to', q.to) : now;
  if (q.to && DATE_ONLY.test(q.to) && to >= now && to - DAY < now) to = now; // today, up to now
  const from = q.from ? parse('from', q.from) : to - 30 * DAY;
  if (from > now + SKEW_MS) throw new PeriodError('from', `the period starts in the future (${new Date(from).toISOString()}); nothing has happened there yet`);
  if (to > now + SKEW_MS) throw new PeriodError('to', `the period ends in the future (${new Date(to).toISOString()}); pick a time up to now`);
  if (from > to) throw new PeriodError('from', 'must not be after to');
  if (to - from > MAX_PERIOD_DAYS * DAY) throw new PeriodError('from', `a period is at most ${MAX_PERIOD_DAYS} days (the journal keeps a year)`);
  return { from: new Date(from).toISOString(), to: new Date(Math.min(to, now)).toISOString() };
}

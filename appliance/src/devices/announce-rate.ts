// How often each device announced in the last hour, to flag "announcing too often" (a flapping link, a
// boot loop). In memory on purpose: it is a symptom to show, not a record to keep; a bounded ring per device.
// Most devices announce about once a day, so a device's one time in the hour is kept as a bare number (an
// array only from the second), and devices with nothing in the last hour are dropped by the periodic
// flagged() check: a 10,000-device fleet held ~220 bytes per device here, forever.
const HOUR = 3600_000;

export class AnnounceRate {
  private seen = new Map<string, number | number[]>();
  constructor(private readonly threshold: () => number, private readonly now = () => Date.now()) {}

  record(serial: string): void {
    const now = this.now();
    const cutoff = now - HOUR;
    const cur = this.seen.get(serial);
    if (cur === undefined || (typeof cur === 'number' && cur <= cutoff)) { this.seen.set(serial, now); return; }
    const list = (typeof cur === 'number' ? [cur] : cur).filter((t) => t > cutoff);
    list.push(now);
    // Past the threshold the exact count matters less than the flag; cap memory per device.
    if (list.length > Math.max(1000, this.threshold() * 2)) list.shift();
    this.seen.set(serial, list.length === 1 ? list[0] : list);
  }

  lastHour(serial: string): number {
    return count(this.seen.get(serial), this.now() - HOUR);
  }

  view(serial: string): { lastHour: number; tooOften: boolean } {
    const lastHour = this.lastHour(serial);
    return { lastHour, tooOften: lastHour > this.threshold() };
  }

  /** Devices over the threshold; also forgets the ones that did not announce in the last hour. */
  flagged(): Array<{ serialNumber: string; lastHour: number }> {
    const cutoff = this.now() - HOUR;
    const threshold = this.threshold();
    const out: Array<{ serialNumber: string; lastHour: number }> = [];
    for (const [serialNumber, times] of this.seen) {
      const lastHour = count(times, cutoff);
      if (lastHour === 0) this.seen.delete(serialNumber);
      else if (lastHour > threshold) out.push({ serialNumber, lastHour });
    }
    return out;
  }

  /** Devices with an announcement in the last hour (or not yet forgotten). */
  get size(): number { return this.seen.size; }
}

function count(times: number | number[] | undefined, cutoff: number): number {
  if (times === undefined) return 0;
  if (typeof times === 'number') return times > cutoff ? 1 : 0;
  let n = 0;
  for (const t of times) if (t > cutoff) n++;
  return n;
}

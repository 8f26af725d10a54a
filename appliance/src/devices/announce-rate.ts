// How often each device announced in the last hour, to flag "announcing too often" (a flapping link, a
// boot loop). In memory on purpose: it is a symptom to show, not a record to keep; a bounded ring per device.
export class AnnounceRate {
  private seen = new Map<string, number[]>();
  constructor(private readonly threshold: () => number, private readonly now = () => Date.now()) {}

  record(serial: string): void {
    const cutoff = this.now() - 3600_000;
    const list = (this.seen.get(serial) ?? []).filter((t) => t > cutoff);
    list.push(this.now());
    // Past the threshold the exact count matters less than the flag; cap memory per device.
    if (list.length > Math.max(1000, this.threshold() * 2)) list.shift();
    this.seen.set(serial, list);
  }

  lastHour(serial: string): number {
    const cutoff = this.now() - 3600_000;
    return (this.seen.get(serial) ?? []).filter((t) => t > cutoff).length;
  }

  view(serial: string): { lastHour: number; tooOften: boolean } {
    const lastHour = this.lastHour(serial);
    return { lastHour, tooOften: lastHour > this.threshold() };
  }

  flagged(): Array<{ serialNumber: string; lastHour: number }> {
    return [...this.seen.keys()].map((s) => ({ serialNumber: s, ...this.view(s) })).filter((v) => v.tooOften).map(({ serialNumber, lastHour }) => ({ serialNumber, lastHour }));
  }
}

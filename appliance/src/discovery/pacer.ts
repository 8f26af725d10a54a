// Probes go out at most `rate` a second, evenly spaced, whatever the number of workers: a sweep must not
// look like a flood to the branch's switches, printers or intrusion detection. The rate is read for every
// probe, so a settings change applies to a running sweep.
export class Pacer {
  private nextAt = 0;

  constructor(private readonly rate: () => number, private readonly now: () => number = () => performance.now()) {}

  /** Resolves when the next probe may go; false when the signal aborted while waiting. */
  async next(signal?: AbortSignal): Promise<boolean> {
    const gap = 1000 / Math.max(0.001, this.rate());
    const now = this.now();
    // An idle pacer does not bank the time it was idle: no burst after a pause.
    const at = Math.max(now, this.nextAt);
    this.nextAt = at + gap;
    const wait = at - now;
    if (wait < 1) return !signal?.aborted;
    return new Promise((resolve) => {
      const done = (ok: boolean) => { clearTimeout(timer); signal?.removeEventListener('abort', onAbort); resolve(ok); };
      const onAbort = () => done(false);
      const timer = setTimeout(() => done(!signal?.aborted), wait);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}

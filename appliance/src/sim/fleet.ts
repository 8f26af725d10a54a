// A fleet of simulated printers booting at a given rate, with a progress summary. Used by `--demo`,
// `npm run simulate` and the benchmarks.
import type { Logger } from '../util/log.ts';
import type { AnnounceReason } from '../protocol/index.ts';
import { SimPrinter, type DaaStatus } from './printer.ts';
import type { DaaTarget } from './daa-client.ts';
import type { SimAgentOptions } from './snmp-agent.ts';

export interface FleetOptions {
  count: number;
  resolveTarget: () => Promise<Omit<DaaTarget, 'localAddress'>>;
  serialPrefix?: string;
  firstIndex?: number;
  /** The address of the i-th printer of this fleet (default: by index, 127.0.x.y). */
  address?: (i: number) => string;
  /** Port announced to at a server address configured in the DAA over SNMP (default 3329). */
  announcePort?: number;
  log?: Logger;
}

export class Fleet {
  readonly printers: SimPrinter[];

  constructor(opts: FleetOptions) {
    this.printers = Array.from({ length: opts.count }, (_, i) => new SimPrinter({
      index: (opts.firstIndex ?? 0) + i, serialPrefix: opts.serialPrefix, address: opts.address?.(i), resolveTarget: opts.resolveTarget, announcePort: opts.announcePort, log: opts.log }));
  }

  /**
   * Every printer announces once with `reason`, at most `ratePerSecond` new exchanges a second (0 = all at
   * once, bounded by `concurrency` in flight). Resolves with the count per DAA status.
   */
  async announceAll(reason: AnnounceReason, opts: { ratePerSecond?: number; concurrency?: number; onProgress?: (done: number) => void } = {}): Promise<Record<DaaStatus, number>> {
    const concurrency = opts.concurrency ?? 64;
    const gapMs = opts.ratePerSecond ? 1000 / opts.ratePerSecond : 0;
    let next = 0;
    let done = 0;
    const start = Date.now();
    const worker = async () => {
      for (;;) {
        const i = next++;
        if (i >= this.printers.length) return;
        if (gapMs) {
          const due = start + i * gapMs;
          const wait = due - Date.now();
          if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        }
        await this.printers[i].announce(reason);
        opts.onProgress?.(++done);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, this.printers.length) }, worker));
    return this.summary();
  }

  /** Gives every printer a real SNMP agent on its own address, 100 binds at a time. */
  async startAgents(opts: Omit<SimAgentOptions, 'address'> = {}): Promise<void> {
    for (let i = 0; i < this.printers.length; i += 100) await Promise.all(this.printers.slice(i, i + 100).map((p) => p.startAgent(opts)));
  }

  async stop(): Promise<void> {
    await Promise.all(this.printers.map((p) => p.stop()));
  }

  summary(): Record<DaaStatus, number> {
    const out: Record<DaaStatus, number> = { Disabled: 0, 'In Progress': 0, Success: 0, Failed: 0 };
    for (const p of this.printers) out[p.status]++;
    return out;
  }
}

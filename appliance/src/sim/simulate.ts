// `npm run simulate`: simulated printers against any appliance. Each has a real SNMP agent (as `--demo`
// printers do), so what they announce can be assessed and remediated, and a discovery sweep finds them;
// `--silent` printers have the agent but never announce (printers without the DAA). As root every agent
// listens on port 161 of its own 127.x address, as a real printer does; otherwise on a free port each
// (announced as snmpPort, so Instant-On still reaches it; a sweep of port 161 will not). A silent printer's
// announcement agent is switched off; a policy that switches it on (with a server address) makes it announce
// to that address on `announcePort`, as a real printer would. They run until Ctrl-C. `--once` keeps the old behaviour: announce once, no agents, exit 0 if all were accepted.
import type { Logger } from '../util/log.ts';
import type { AnnounceReason } from '../protocol/index.ts';
import { Fleet } from './fleet.ts';

/** Serial prefix of `npm run simulate`; the demo (`--demo`) uses SIM, so the two never share a serial. */
export const SIMULATE_SERIAL_PREFIX = 'LAB';

export interface SimulateOptions {
  count: number;
  firstIndex: number;
  serialPrefix: string;
  reason: AnnounceReason;
  ratePerSecond: number;
  silent: boolean;
  once: boolean;
  /** 161 as root; 0 = a free port per agent. */
  snmpPort: number;
  snmpDelayMs: number;
  resolveTarget?: () => Promise<{ host: string; port: number }>;
  /** Port announced to at a server address a policy configures in the printers' DAA (3329). */
  announcePort?: number;
  log: Logger;
}

export const defaultSnmpPort = () => (process.getuid?.() === 0 ? 161 : 0);

/** Starts the fleet; resolves with a stop function (agents keep serving until it is called), or the exit code with --once. */
export async function simulate(o: SimulateOptions): Promise<{ stop: () => Promise<void> } | { exitCode: number }> {
  const fleet = new Fleet({ count: o.count, firstIndex: o.firstIndex, serialPrefix: o.serialPrefix, log: o.log, announcePort: o.announcePort,
    resolveTarget: o.resolveTarget ?? (async () => { throw new Error('silent printers do not announce'); }) });
  if (!o.once) {
    await fleet.startAgents({ port: o.snmpPort, delayMs: o.snmpDelayMs });
    // Silent: the announcement agent switched off (at the panel, say) until a policy switches it on.
    if (o.silent) for (const p of fleet.printers) p.agent?.setValue('hpdap-announce', false);
    const first = fleet.printers[0];
    const last = fleet.printers[fleet.printers.length - 1];
    o.log.info({ count: o.count, serials: `${first.serialNumber}…${last.serialNumber}`, addresses: `${first.address}…${last.address}`,
      snmpPort: o.snmpPort || 'a free port each (run as root for 161)', community: 'public/private', v3User: 'admin' },
    o.silent ? 'simulated printers answering SNMP (silent: they never announce; find them with discovery)' : 'simulated printers answering SNMP');
    if (!o.snmpPort) for (const p of fleet.printers) o.log.debug({ serial: p.serialNumber, address: p.address, port: p.agent?.port }, 'SNMP agent');
  }
  if (!o.silent) {
    const started = Date.now();
    let last = 0;
    const summary = await fleet.announceAll(o.reason, {
      ratePerSecond: o.ratePerSecond,
      onProgress: (n) => { if (Date.now() - last > 1000 || n === o.count) { last = Date.now(); o.log.info({ done: n, of: o.count }, 'progress'); } },
    });
    const seconds = (Date.now() - started) / 1000;
    o.log.info({ summary, seconds, perSecond: Math.round(o.count / seconds) }, 'all printers announced');
    const failed = fleet.printers.filter((p) => p.status !== 'Success');
    for (const p of failed.slice(0, 5)) o.log.warn({ serial: p.serialNumber, error: p.lastError }, 'announcement failed');
    if (o.once) return { exitCode: failed.length ? 1 : 0 };
  }
  return { stop: () => fleet.stop() };
}

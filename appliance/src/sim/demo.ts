// `--demo N`: simulated printers on this machine that find the appliance the way real ones do (hp-print-mgmt
// through its own DNS responder), each with a real SNMP agent, so a newcomer sees devices arrive and can try
// Secure at Install without a printer.
import type { Logger } from '../util/log.ts';
import type { Credential } from '../snmp/index.ts';
import { Fleet } from './fleet.ts';
import { dnsTargetResolver } from './dns-resolve.ts';

export interface DemoOptions {
  count: number;
  announcePort: number;
  dnsPort: number;
  searchSuffixes: string[];
  /** Sets the default SNMP credential when none is configured yet. */
  credentials: { describe(): Promise<Record<string, unknown>>; setDefault(c: Credential): Promise<unknown> };
  log: Logger;
}

export function startDemoFleet(opts: DemoOptions): Fleet {
  const { count, log } = opts;
  const resolveTarget = dnsTargetResolver({ dns: `127.0.0.1:${opts.dnsPort}`, searchDomains: opts.searchSuffixes, port: opts.announcePort, ipv4Only: true });
  const fleet = new Fleet({ count, log, resolveTarget });
  log.info({ count }, 'starting simulated printers (each with a real SNMP agent on its own 127.0.x.y address)');
  void (async () => {
    // The simulated printers answer the factory v2c communities; give the demo a default credential for them
    // unless the admin has set one, so enabling automatic remediation just works.
    if (!(await opts.credentials.describe()).default) {
      await opts.credentials.setDefault({ version: '2c', readCommunity: 'public', writeCommunity: 'private' });
      log.info('demo: default SNMP credential set to the simulated printers\' v2c communities');
    }
    // A free port per agent (announced as snmpPort), so two demos or a real snmpd on this machine never collide.
    await fleet.startAgents({ port: 0 }).catch((err) => log.warn({ err: err.message }, 'demo: SNMP agents could not start; the printers announce without them'));
    const summary = await fleet.announceAll('initial-boot', { ratePerSecond: Math.min(50, count) });
    log.info({ summary }, 'demo fleet announced');
  })().catch((err) => log.error({ err: err.message }, 'demo fleet failed'));
  return fleet;
}

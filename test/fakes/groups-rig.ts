// A running appliance with default SNMP credentials (v2c public/private, what the simulated printers and the
// snmpd peer answer to), and small helpers for policies, groups, printers and waiting on results.
import { startTestAppliance, api, login, waitFor } from './appliance.ts';
import { SimPrinter } from '../../appliance/src/sim/printer.ts';
import { announce, newAnnouncement } from '../../appliance/src/sim/daa-client.ts';
import type { Snmpd } from './snmpd.ts';

let nextIndex = 50_000 + Math.floor(Math.random() * 10_000) * 4;

export async function groupsRig(t: { teardown(fn: () => Promise<void> | void): void }, env: Record<string, string> = {}) {
  const h = await startTestAppliance({ env: { INSTANT_ON_SNMP_TIMEOUT_MS: '1000', ...env } });
  const printers: SimPrinter[] = [];
  t.teardown(async () => { for (const p of printers) await p.stop(); await h.stop(); });
  const web = h.appliance.webPort;
  const token = await login(web);
  const call = (method: string, path: string, body?: unknown) => api(web, method, path, { token, body });
  const ok = async (method: string, path: string, body?: unknown) => {
    const r = await call(method, path, body);
    if (r.status >= 300) throw new Error(`${method} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  await ok('PUT', '/api/v1/credentials/default', { version: '2c', readCommunity: 'public', writeCommunity: 'private' });
  return {
    h, web, token, call, ok,
    policy: async (name: string, settings: Record<string, unknown>) => (await ok('POST', '/api/v1/policies', { name, settings })).id as string,
    group: async (body: Record<string, unknown>) => (await ok('POST', '/api/v1/groups', body)).id as string,
    settings: (body: Record<string, unknown>) => ok('PUT', '/api/v1/settings', body),
    /** A simulated printer with a real SNMP agent on its own loopback address (not yet announced). */
    printer: async (opts: { port?: number } = {}) => {
      const p = new SimPrinter({ index: nextIndex++, serialPrefix: 'AGT', resolveTarget: async () => ({ host: '127.0.0.1', port: h.appliance.announcePort }) });
      await p.startAgent({ port: opts.port });
      printers.push(p);
      return p;
    },
    /** Debian's snmpd announcing as a printer (its SNMP answers at 127.0.0.1:port). */
    announceSnmpd: async (d: Snmpd, serial: string, model = 'HP LaserJet Enterprise MFP M555dn') => {
      const ack = await announce({ host: '127.0.0.1', port: h.appliance.announcePort, localAddress: '127.0.0.1' },
        newAnnouncement({ serialNumber: serial, macAddress: '02:00:5e:10:00:01', model, ipv4: d.host, hostname: 'snmpd-printer', snmpPort: d.port }, 'initial-boot'));
      if (ack.status !== 'accepted') throw new Error(`snmpd announcement ${ack.status}`);
    },
    device: async (serial: string) => (await ok('GET', `/api/v1/devices/${serial}`)),
    /** Waits until the device has `n` assessment entries in its history (oldest first). */
    assessments: async (serial: string, n: number, ms = 20_000) => waitFor(async () => {
      const d = await ok('GET', `/api/v1/devices/${serial}`);
      const list = d.history.filter((e: any) => e.kind === 'assessment').reverse();
      return list.length >= n && list;
    }, ms),
    /** Lets the appliance settle: no task queued or running, nothing waiting for the disk. */
    quiet: async () => waitFor(async () => (await ok('GET', '/api/v1/tasks?state=active')).matched === 0 && h.appliance.store.commitStats().queued === 0, 20_000),
  };
}

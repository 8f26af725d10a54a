// Issue 14, first "must show": Debian snmpd instances answering like printers (overrides of the Printer-MIB
// serial and hrDeviceType, HP's sysObjectID) on their own 127.x addresses at port 161, plus one snmpd that
// is not a printer. A sweep of the /28 that holds them finds exactly the printers with serial and model and
// skips the other; a second sweep adds no duplicate; one of them then announcing over HDAP stays one device.
import test from 'ava';
import { startTestAppliance, api, login, waitFor } from '../fakes/appliance.ts';
import { startSnmpd, type Snmpd } from '../fakes/snmpd.ts';
import { announce, newAnnouncement } from '../../appliance/src/sim/daa-client.ts';

const isRoot = process.getuid?.() === 0;

/** A /28 of its own: 127.<100–199>.<0–255>.<16k>, so parallel tests do not meet on port 161. */
function block(): string[] {
  const base = `127.${100 + Math.floor(Math.random() * 100)}.${Math.floor(Math.random() * 256)}`;
  const start = 16 * Math.floor(Math.random() * 16);
  return Array.from({ length: 16 }, (_, i) => `${base}.${start + i}`);
}

const PRINTERS = [
  { serial: 'CNBSNMPD01', model: 'HP LaserJet Enterprise M507', name: 'prn-finance' },
  { serial: 'CNBSNMPD02', model: 'HP Color LaserJet MFP M480f', name: 'prn-lobby' },
  { serial: 'CNBSNMPD03', model: 'HP PageWide Enterprise Color 765dn', name: 'prn-store' },
];

const printerConfig = (p: (typeof PRINTERS)[number]) => [
  'sysobjectid .1.3.6.1.4.1.11.2.3.9.1', `sysname ${p.name}`,
  'override .1.3.6.1.2.1.25.3.2.1.2.1 object_id .1.3.6.1.2.1.25.3.1.5',
  `override .1.3.6.1.2.1.25.3.2.1.3.1 octet_str "${p.model}"`,
  `override .1.3.6.1.2.1.43.5.1.1.17.1 octet_str "${p.serial}"`,
];

test('snmpd /28 sweep: exactly the printers, once each, across two sweeps and an announcement', async (t) => {
  if (!isRoot) { t.fail('port 161 needs root (CI runs the tests as root)'); return; }
  const addrs = block();
  const cidr = `${addrs[0]}/28`;
  // Printers at .1 .2 .5 of the block, the Linux host (not a printer) at .9; the rest answer nothing.
  const at = [addrs[1], addrs[2], addrs[5]];
  const peers: Snmpd[] = [];
  t.teardown(async () => { await Promise.all(peers.map((p) => p.stop())); });
  peers.push(...await Promise.all(PRINTERS.map((p, i) => startSnmpd({ host: at[i], port: 161, extraConfig: printerConfig(p) }))));
  peers.push(await startSnmpd({ host: addrs[9], port: 161, hp: false }));

  const h = await startTestAppliance({ env: { INSTANT_ON_DISCOVERY_TIMEOUT_MS: '400', INSTANT_ON_DISCOVERY_RETRIES: '1', INSTANT_ON_DISCOVERY_RATE: '200' } });
  t.teardown(() => h.stop());
  const web = h.appliance.webPort;
  const token = await login(web);
  t.is((await api(web, 'PUT', '/api/v1/credentials/default', { token, body: { version: '2c', readCommunity: 'public', writeCommunity: 'private' } })).status, 200);

  const sweep = async () => {
    const r = await api(web, 'POST', '/api/v1/discovery', { token, body: { targets: [cidr] } });
    t.is(r.status, 202, JSON.stringify(r.body));
    t.is(r.body.addresses, 14, 'network and broadcast addresses skipped');
    return waitFor(async () => { const x = await api(web, 'GET', `/api/v1/tasks/${r.body.taskId}`, { token }); return x.body.state === 'done' ? x.body : undefined; }, 30_000, 200);
  };

  const first = await sweep();
  t.like(first, { type: 'discovery', done: 14, total: 14, progress: { found: 3, new: 3, updated: 0, unchanged: 0, notPrinter: 1, noAnswer: 10, unidentified: 0, authFailed: 0 } });
  const devices = (await api(web, 'GET', '/api/v1/devices', { token })).body.devices as any[];
  t.deepEqual(devices.map((d) => d.serialNumber).sort(), PRINTERS.map((p) => p.serial));
  for (const [i, p] of PRINTERS.entries()) {
    const d = devices.find((x) => x.serialNumber === p.serial);
    t.like(d, { model: p.model, ipv4: at[i], hostname: p.name, vendor: 'hp', discoveredBy: 'auto-discovered', announceCount: 0, snmpPort: 161,
      credentialRef: { source: 'default' } });
    t.truthy(d.foundBy.discovery?.first);
  }
  const list = (await api(web, 'GET', '/api/v1/discovery', { token })).body;
  t.like(list.tasks[0], { id: first.id, state: 'done' });
  t.deepEqual(list.tasks[0].result.notPrinters.map((x: any) => x.address), [addrs[9]]);
  t.regex(list.tasks[0].result.notPrinters[0].sysDescr, /Linux/);

  const second = await sweep();
  t.like(second.progress, { found: 3, new: 0, updated: 0, unchanged: 3, notPrinter: 1 });
  t.is(h.appliance.registry.size, 3, 'a second sweep adds no duplicate');

  // The first printer's own agent announces over HDAP (from its own address): still one device.
  const p0 = PRINTERS[0];
  const ack = await announce({ host: '127.0.0.1', port: h.appliance.announcePort, localAddress: at[0] },
    newAnnouncement({ serialNumber: p0.serial, macAddress: '02:00:5e:00:53:01', model: p0.model, ipv4: at[0], hostname: p0.name, snmpPort: 161 }, 'initial-boot'));
  t.is(ack.status, 'accepted');
  t.is(h.appliance.registry.size, 3);
  const one = (await api(web, 'GET', `/api/v1/devices/${p0.serial}`, { token })).body;
  t.truthy(one.foundBy.announcement);
  t.truthy(one.foundBy.discovery);
  t.is(one.announceCount, 1);
  t.is(one.discoveredBy, 'auto-discovered');
  const kinds = (one.history as any[]).map((x) => `${x.kind}/${x.via ?? '-'}`);
  t.true(kinds.includes('discovered/discovery') && kinds.includes('announcement/announcement'), kinds.join(' '));
});

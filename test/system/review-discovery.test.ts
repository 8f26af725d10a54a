// Review of discovery (issue 14) against issue 12 §3, "SNMP secrets go only where the device is": a sweep
// tries a known device's own credential first where that device lives. It used to decide where it lives
// from the address the device's announcement *claimed*, and even for a device held by strictDeviceIdentity,
// so an impostor that announced a printer's serial (held, no SNMP by assessment) received the printer's own
// community from the next sweep of its address. A real simulated printer, an impostor announcing from its own
// loopback address, and a UDP socket there that keeps every datagram.
import test from 'ava';
import dgram from 'node:dgram';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestAppliance, api, login, waitFor } from '../fakes/appliance.ts';
import { SimPrinter } from '../../appliance/src/sim/printer.ts';
import { announce, newAnnouncement } from '../../appliance/src/sim/daa-client.ts';
import { startSimAgent } from '../../appliance/src/sim/snmp-agent.ts';

const exec = promisify(execFile);

async function trap(address: string, port: number) {
  const socket = dgram.createSocket('udp4');
  const packets: Buffer[] = [];
  socket.on('message', (m) => packets.push(m));
  await new Promise<void>((resolve, reject) => { socket.once('error', reject); socket.bind(port, address, () => resolve()); });
  return { packets, close: () => new Promise<void>((r) => socket.close(() => r())) };
}

test('a sweep never sends a held device\'s own community to the impostor\'s address', async (t) => {
  t.timeout(90_000);
  const dir = await mkdtemp(join(tmpdir(), 'ioe-review-disc-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await exec('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=NPI printer', '-days', '30',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')]);
  const identity = { keyPem: await readFile(join(dir, 'key.pem'), 'utf8'), certPem: await readFile(join(dir, 'cert.pem'), 'utf8') };
  const h = await startTestAppliance({ env: { INSTANT_ON_SNMP_TIMEOUT_MS: '400', INSTANT_ON_SNMP_RETRIES: '0', INSTANT_ON_DISCOVERY_TIMEOUT_MS: '300', INSTANT_ON_DISCOVERY_RETRIES: '0' } });
  const printer = new SimPrinter({ index: 4190, serialPrefix: 'RVW', authMode: 'mutual-preferred', resolveTarget: async () => ({ host: '127.0.0.1', port: h.appliance.announcePort }) });
  printer.identity = identity;
  await printer.startAgent({ readCommunity: 'own-read-zq', writeCommunity: 'own-write-zq' });
  t.teardown(async () => { await printer.stop(); await h.stop(); });
  const web = h.appliance.webPort;
  const token = await login(web);
  // The branch's general credential, and this printer's own (what the sweep must keep to the printer).
  t.is((await api(web, 'PUT', '/api/v1/credentials/default', { token, body: { version: '2c', readCommunity: 'general-read', writeCommunity: 'general-write' } })).status, 200);
  t.is(await printer.boot(), 'Success');
  await waitFor(() => h.appliance.registry.get(printer.serialNumber));
  const own = await api(web, 'PUT', `/api/v1/devices/${printer.serialNumber}/credentials`, { token, body: { version: '2c', readCommunity: 'own-read-zq', writeCommunity: 'own-write-zq' } });
  t.is(own.status, 200, JSON.stringify(own.body));
  t.is((await api(web, 'PUT', '/api/v1/settings', { token, body: { strictDeviceIdentity: true } })).status, 200);

  // Positive control: a sweep of where the printer really is uses its own credential and finds it.
  const sweep = async (target: string) => {
    const r = await api(web, 'POST', '/api/v1/discovery', { token, body: { targets: [target], snmpPort: printer.agent!.port } });
    t.is(r.status, 202, JSON.stringify(r.body));
    return waitFor(async () => { const x = (await api(web, 'GET', `/api/v1/tasks/${r.body.taskId}`, { token })).body; return x.state === 'done' ? x : undefined; }, 20_000, 100);
  };
  const found = await sweep(printer.address);
  t.like(found.progress, { found: 1, unchanged: 1 }, JSON.stringify(found.progress));

  // The impostor announces the printer's serial from its own address, without the printer's key: held.
  const impostor = '127.0.252.41';
  const socket = await trap(impostor, printer.agent!.port);
  t.teardown(socket.close);
  const ack = await announce({ host: '127.0.0.1', port: h.appliance.announcePort, localAddress: impostor }, newAnnouncement({ ...printer.deviceInfo(), ipv4: impostor }, 'ip-change'));
  t.is(ack.status, 'accepted');
  await waitFor(async () => (await api(web, 'GET', `/api/v1/devices/${printer.serialNumber}`, { token })).body.identity?.held);

  const job = await sweep(impostor);
  t.like(job.progress, { done: 1, noAnswer: 1 });
  await new Promise((r) => setTimeout(r, 200));
  const seen = socket.packets.map((p) => p.toString('latin1'));
  t.true(seen.some((p) => p.includes('general-read')), 'the sweep reached the address (with the general credential, as any sweep does)');
  t.false(seen.some((p) => p.includes('own-read') || p.includes('own-write')), 'the held printer\'s own community never reached the impostor');
});

test('an agent elsewhere answering a sweep with an announcing printer\'s serial does not move where SNMP goes', async (t) => {
  t.timeout(90_000);
  const h = await startTestAppliance({ env: { INSTANT_ON_SNMP_TIMEOUT_MS: '400', INSTANT_ON_SNMP_RETRIES: '0', INSTANT_ON_DISCOVERY_TIMEOUT_MS: '300', INSTANT_ON_DISCOVERY_RETRIES: '0' } });
  const printer = new SimPrinter({ index: 4191, serialPrefix: 'RVW', resolveTarget: async () => ({ host: '127.0.0.1', port: h.appliance.announcePort }) });
  await printer.startAgent({ readCommunity: 'general-read', writeCommunity: 'general-write' });
  // Anyone can run an SNMP agent that names a serial; this one accepts the general community the sweep sends.
  const impostor = await startSimAgent({ address: '127.0.252.42', port: printer.agent!.port, readCommunity: 'general-read', writeCommunity: 'general-write',
    identity: { serialNumber: printer.serialNumber, model: 'HP LaserJet Enterprise M611dn', macAddress: '02:00:00:00:42:42' } });
  t.teardown(async () => { await impostor.stop(); await printer.stop(); await h.stop(); });
  const web = h.appliance.webPort;
  const token = await login(web);
  t.is((await api(web, 'PUT', '/api/v1/credentials/default', { token, body: { version: '2c', readCommunity: 'general-read', writeCommunity: 'general-write' } })).status, 200);
  const policyId = (await api(web, 'POST', '/api/v1/policies', { token, body: { name: 'p', settings: { telnet: false } } })).body.id;
  t.is(await printer.boot(), 'Success');
  await waitFor(() => h.appliance.registry.get(printer.serialNumber));

  const r = await api(web, 'POST', '/api/v1/discovery', { token, body: { targets: [impostor.address], snmpPort: impostor.port } });
  t.is(r.status, 202);
  const job = await waitFor(async () => { const x = (await api(web, 'GET', `/api/v1/tasks/${r.body.taskId}`, { token })).body; return x.state === 'done' ? x : undefined; }, 20_000, 100);
  t.like(job.progress, { found: 1, unchanged: 1 });
  const d = (await api(web, 'GET', `/api/v1/devices/${printer.serialNumber}`, { token })).body;
  t.is(d.peerAddress, printer.address, 'SNMP stays where the printer announces from');
  t.is(d.macAddress, printer.macAddress.toLowerCase(), 'what the printer said about itself is kept');
  t.truthy(d.history.find((e: any) => e.kind === 'found' && /answered a sweep at 127\.0\.252\.42/.test(e.detail ?? '')), 'the sighting is in the history');

  const seenByImpostor = impostor.requests;
  const before = printer.agent!.requests;
  const a = await api(web, 'POST', `/api/v1/devices/${printer.serialNumber}/assess`, { token, body: { policyId, remediate: false } });
  t.is(a.status, 202, JSON.stringify(a.body));
  await waitFor(async () => (await api(web, 'GET', `/api/v1/tasks/${a.body.taskId}`, { token })).body.state === 'done', 20_000, 100);
  t.true(printer.agent!.requests > before, 'the real printer was assessed');
  t.is(impostor.requests, seenByImpostor, 'the assessment did not go to the impostor');
});

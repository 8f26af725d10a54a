// SNMP secrets go only where the device is (issue 12 §3). A real SNMP agent (a simulated printer) on its own
// loopback address, and a plain UDP socket listening on the address an announcement merely claims: the
// socket must receive nothing, while the real printer is assessed. With strictDeviceIdentity, a serial that
// comes back without its certificate gets no SNMP at all until an admin approves it.
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

const exec = promisify(execFile);

/** A UDP socket on `address:port` that counts every datagram (the address an attacker would listen on). */
async function snmpTrap(address: string, port: number) {
  const socket = dgram.createSocket('udp4');
  const packets: Buffer[] = [];
  socket.on('message', (m) => packets.push(m));
  await new Promise<void>((resolve, reject) => { socket.once('error', reject); socket.bind(port, address, () => resolve()); });
  return { packets, close: () => new Promise<void>((r) => socket.close(() => r())) };
}

async function setup(t: any, index: number, extra: { authMode?: 'none' | 'mutual-preferred'; identity?: { keyPem: string; certPem: string } } = {}) {
  const h = await startTestAppliance({ env: { INSTANT_ON_SNMP_TIMEOUT_MS: '400', INSTANT_ON_SNMP_RETRIES: '0' } });
  const printer = new SimPrinter({ index, serialPrefix: 'IDN', authMode: extra.authMode, resolveTarget: async () => ({ host: '127.0.0.1', port: h.appliance.announcePort }) });
  printer.identity = extra.identity;
  await printer.startAgent({ readCommunity: 's3cret-read', writeCommunity: 's3cret-write' });
  t.teardown(async () => { await printer.stop(); await h.stop(); });
  const web = h.appliance.webPort;
  const token = await login(web);
  await api(web, 'PUT', '/api/v1/credentials/default', { token, body: { version: '2c', readCommunity: 's3cret-read', writeCommunity: 's3cret-write' } });
  const policyId = (await api(web, 'POST', '/api/v1/policies', { token, body: { name: 'baseline', settings: { telnet: false, 'sys-location': 'Branch 7' } } })).body.id;
  await api(web, 'PUT', '/api/v1/instant-on', { token, body: { allowAutomaticRemediation: true, initialPolicyId: policyId } });
  const device = async () => (await api(web, 'GET', `/api/v1/devices/${printer.serialNumber}`, { token })).body;
  return { h, printer, web, token, policyId, device };
}

/** Instant-On tasks of a serial, newest first. */
const tasksOf = async (web: number, token: string, serial: string) =>
  ((await api(web, 'GET', '/api/v1/tasks?type=instant-on', { token })).body.tasks as any[]).filter((x) => x.serials?.includes(serial));

test('a known printer re-announcing a claimed address: no SNMP packet reaches that address, the real printer is assessed, the mismatch is shown', async (t) => {
  const { h, printer, device } = await setup(t, 4101);
  const agent = printer.agent!;
  const claimed = '127.0.251.9';
  const trap = await snmpTrap(claimed, agent.port);
  t.teardown(trap.close);

  t.is(await printer.boot(), 'Success');
  const first = await waitFor(async () => { const d = await device(); return d.compliance?.status === 'remediated' && d; }, 15_000);
  t.is(first.peerAddress, printer.address);

  // Factory settings back, so the next assessment has to reach the printer to put them right.
  agent.coldReset();
  const before = agent.requests;
  // The same printer (same source address) now claims to be at another address.
  const ack = await announce({ host: '127.0.0.1', port: h.appliance.announcePort, localAddress: printer.address },
    newAnnouncement({ ...printer.deviceInfo(), ipv4: claimed }, 'ip-change'));
  t.is(ack.status, 'accepted');
  const second = await waitFor(async () => { const d = await device(); return d.compliance?.at > first.compliance.at && d.compliance.status === 'remediated' && d; }, 15_000);
  t.true(agent.requests > before, 'the real printer was assessed');
  t.like(agent.values(), { telnet: false, 'sys-location': 'Branch 7' });
  t.is(trap.packets.length, 0, 'not one SNMP packet went to the claimed address');

  // Recorded and shown: the device keeps where it came from as its SNMP target, and the mismatch.
  t.is(second.peerAddress, printer.address);
  t.like(second.addressMismatch, { claimed: [claimed], actual: printer.address });
  t.like(second.identity.addressMismatch, { claimed: [claimed], actual: printer.address });
  const entry = second.history.find((e: any) => e.kind === 'announcement' && e.reason === 'ip-change');
  t.deepEqual(entry.claimedAddresses, [claimed]);
  t.is(second.ipv4, claimed, 'the claim itself is kept as the attribute the device reported');

  // Positive control: when the printer really is at that address (announces from it), SNMP goes there.
  const moved = await announce({ host: '127.0.0.1', port: h.appliance.announcePort, localAddress: claimed },
    newAnnouncement({ ...printer.deviceInfo(), ipv4: claimed }, 'ip-change'));
  t.is(moved.status, 'accepted');
  await waitFor(() => trap.packets.length > 0, 15_000);
  const third = await device();
  t.is(third.peerAddress, claimed);
  t.is(third.addressMismatch, undefined, 'an announcement that agrees clears the mismatch');
  t.false(JSON.stringify(third).includes('s3cret'), 'no community in the API');
});

test('strictDeviceIdentity: a serial that comes back without its certificate gets no SNMP until an admin approves; identity changed is in history, live events and audit', async (t) => {
  // The printer's self-signed certificate (what printers present when not mutually authenticated).
  const dir = await mkdtemp(join(tmpdir(), 'ioe-idcert-'));
  t.teardown(() => rm(dir, { recursive: true, force: true }));
  await exec('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=NPI4102 printer', '-days', '30',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')]);
  const identity = { keyPem: await readFile(join(dir, 'key.pem'), 'utf8'), certPem: await readFile(join(dir, 'cert.pem'), 'utf8') };
  const { h, printer, web, token, device } = await setup(t, 4102, { authMode: 'mutual-preferred', identity });
  const agent = printer.agent!;
  const events: Array<{ type: string; data: any }> = [];
  const unsubscribe = h.appliance.services.events!.subscribe((type, data) => events.push({ type, data }));
  t.teardown(unsubscribe);

  t.is(await printer.boot(), 'Success');
  const first = await waitFor(async () => { const d = await device(); return d.compliance?.status === 'remediated' && d; }, 15_000);
  const { stdout } = await exec('openssl', ['x509', '-in', join(dir, 'cert.pem'), '-noout', '-fingerprint', '-sha256']);
  t.is(first.clientCert.fingerprint256, stdout.trim().split('=')[1], 'the presented certificate is recorded by its SHA-256 fingerprint');
  t.like(first.clientCert, { subject: 'CN=NPI4102 printer', selfSigned: true });
  t.truthy(first.clientCert.validFrom && first.clientCert.validTo);
  t.false(first.identity.pending);

  t.is((await api(web, 'PUT', '/api/v1/settings', { token, body: { strictDeviceIdentity: true } })).status, 200);
  // Someone else on the LAN announces the same serial from their own address, without the printer's key.
  const impostor = '127.0.252.4';
  const trap = await snmpTrap(impostor, agent.port);
  t.teardown(trap.close);
  const ack = await announce({ host: '127.0.0.1', port: h.appliance.announcePort, localAddress: impostor },
    newAnnouncement({ ...printer.deviceInfo(), ipv4: impostor }, 'ip-change'));
  t.is(ack.status, 'accepted', 'the announcement is recorded (and shown), not silently dropped');
  const held = await waitFor(async () => {
    const task = (await tasksOf(web, token, printer.serialNumber)).find((x) => x.state === 'done' && x.createdAt > first.compliance.at);
    return task && (await api(web, 'GET', `/api/v1/tasks/${task.id}`, { token })).body;
  }, 15_000);
  t.is(held.outcomes[printer.serialNumber].status, 'held');
  t.regex(held.outcomes[printer.serialNumber].detail, /strictDeviceIdentity/);
  await new Promise((r) => setTimeout(r, 300));
  t.is(trap.packets.length, 0, 'no SNMP packet (no community) reached the impostor');

  const d = await device();
  t.true(d.identity.pending && d.identity.held);
  t.is(d.identity.presented, null);
  t.is(d.identity.onRecord.fingerprint256, first.clientCert.fingerprint256);
  t.is(d.compliance.at, first.compliance.at, 'the last real assessment stays as it was');
  const change = d.history.find((e: any) => e.kind === 'identity-changed');
  t.is(change.identity.from.fingerprint256, first.clientCert.fingerprint256);
  t.is(change.identity.to, null);
  t.truthy(events.find((e) => e.type === 'identity-changed' && e.data.serialNumber === printer.serialNumber && e.data.held));
  const audit = (await api(web, 'GET', '/api/v1/audit?action=device.identity-changed', { token })).body.entries;
  t.is(audit.length, 1);
  t.is(audit[0].after.address, impostor);

  // An admin who knows the printer really moved approves; from then on SNMP goes to its new address.
  const ok = await api(web, 'POST', `/api/v1/devices/${printer.serialNumber}/identity/approve`, { token });
  t.is(ok.status, 200);
  t.false(ok.body.pending);
  t.is((await api(web, 'POST', `/api/v1/devices/${printer.serialNumber}/identity/approve`, { token })).status, 409);
  t.truthy((await api(web, 'GET', '/api/v1/audit?action=device.identity-approved', { token })).body.entries[0]);
  const manual = await api(web, 'POST', `/api/v1/devices/${printer.serialNumber}/assess`, { token, body: { policyId: d.lastPolicy.id, remediate: false } });
  t.is(manual.status, 202);
  await waitFor(() => trap.packets.length > 0, 10_000);
  t.true(trap.packets.length > 0, 'after approval the device is assessed where it now announces from');
});

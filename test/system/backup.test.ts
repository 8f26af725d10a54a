// Backup and restore (issue 16 §5) between real appliances: a configured one (in-process) makes an archive;
// a fresh one — a real `instant-on-edge serve` process on an empty data folder — first refuses a short
// passphrase, a wrong one, a truncated, a foreign, an altered and a newer-version archive, each changing
// nothing; then restores it, restarts its components by itself, and has every setting, policy, credential
// (assessing a simulated printer with it works), trusted CA, CRL, the appliance CA and identity, the serial
// list, listener, schedule, group and device back.
import test from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { connect } from 'node:tls';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { startTestAppliance, api, login, waitFor, ADMIN_PASSWORD } from '../fakes/appliance.ts';
import { freePort } from '../fakes/ports.ts';
import { OpensslPki } from '../fakes/openssl-certs.ts';
import { Fleet } from '../../appliance/src/sim/fleet.ts';
import { packArchive, unpackArchive } from '../../appliance/src/backup/archive.ts';

const root = resolve(import.meta.dirname, '../..');
const PASS = 'correct horse battery staple';

function raw(port: number, method: string, path: string, opts: { token: string; body?: Buffer | string; headers?: Record<string, string> }): Promise<{ status: number; body: Buffer; json: any }> {
  return new Promise((res, rej) => {
    const req = request({ host: '127.0.0.1', port, method, path, rejectUnauthorized: false, headers: { authorization: `Bearer ${opts.token}`, ...opts.headers } }, (r) => {
      const chunks: Buffer[] = [];
      r.on('data', (c) => chunks.push(c));
      r.on('end', () => { const body = Buffer.concat(chunks); let json: any; try { json = JSON.parse(body.toString()); } catch { /* binary */ } res({ status: r.statusCode ?? 0, body, json }); });
    });
    req.on('error', rej);
    req.end(opts.body);
  });
}

function serve(dataDir: string, webPort: number, announcePort: number): Promise<ChildProcess> {
  return new Promise((res, rej) => {
    const child = spawn(process.execPath, ['--import=tsx', join(root, 'appliance/src/cli.ts'), 'serve', '--data-dir', dataDir, '--host', '127.0.0.1',
      '--announce-port', String(announcePort), '--web-port', String(webPort), '--dns-port', '0'],
    { cwd: root, env: { ...process.env, INSTANT_ON_ADMIN_PASSWORD: ADMIN_PASSWORD, INSTANT_ON_LOG_FORMAT: 'json', INSTANT_ON_SNMP_TIMEOUT_MS: '1000' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => rej(new Error(`not ready: ${out.slice(-2000)}`)), 30_000);
    child.stdout!.on('data', (c) => { out += c; if (out.includes('admin page and API ready')) { clearTimeout(timer); res(child); } });
    child.stderr!.on('data', (c) => { out += c; });
    child.once('exit', (code) => { clearTimeout(timer); rej(new Error(`exited ${code}: ${out.slice(-2000)}`)); });
  });
}

function peerFingerprint(port: number): Promise<string> {
  return new Promise((res, rej) => {
    const s = connect({ host: '127.0.0.1', port, rejectUnauthorized: false }, () => { res(s.getPeerCertificate().fingerprint256); s.end(); });
    s.on('error', rej);
  });
}

/** Everything a restore may change, as the API shows it. */
async function snapshot(port: number, token: string) {
  const get = async (p: string) => (await api(port, 'GET', p, { token })).body;
  // Settings given on the command line (data folder, ports) belong to the process, not to the backup.
  const settings = (await get('/api/v1/settings')).settings.filter((s: any) => s.source !== 'cli').map((s: any) => [s.key, s.value, s.source]);
  return { settings, policies: await get('/api/v1/policies'), // The announce port is the process's (a CLI flag), not the backup's.
    instantOn: { ...(await get('/api/v1/instant-on')), announcePort: undefined }, credentials: await get('/api/v1/credentials'),
    cas: await get('/api/v1/pki/trusted-cas'), crls: await get('/api/v1/pki/crls'), identity: { ...(await get('/api/v1/pki/identity')), subject: undefined },
    serials: await get('/api/v1/serial-list'), listeners: (await get('/api/v1/listeners')).listeners?.map((l: any) => ({ ...l, status: undefined })),
    schedules: await get('/api/v1/schedules'), groups: (await get('/api/v1/groups')).groups, devices: (await get('/api/v1/devices')).devices.map((d: any) => d.serialNumber) };
}

test('backup → fresh data folder → restore: all is back; refused archives change nothing', async (t) => {
  const src = await startTestAppliance({ env: { INSTANT_ON_SNMP_TIMEOUT_MS: '1000' } });
  const pki = await OpensslPki.create();
  const fleet = new Fleet({ count: 1, serialPrefix: 'BAK', firstIndex: 7600, resolveTarget: async () => ({ host: '127.0.0.1', port: src.appliance.announcePort }) });
  await fleet.printers[0].startAgent({ port: 0, readCommunity: 'branch-ro-7', writeCommunity: 'branch-rw-7' });
  const dataDir = mkdtempSync(join(tmpdir(), 'ioe-restore-'));
  let child: ChildProcess | undefined;
  t.teardown(async () => { child?.kill('SIGKILL'); await fleet.stop(); await src.stop(); await pki.cleanup(); rmSync(dataDir, { recursive: true, force: true }); });

  // ——— a configured appliance ———
  const sp = src.appliance.webPort;
  const st = await login(sp);
  const put = (p: string, body: unknown) => api(sp, 'PUT', p, { token: st, body });
  const post = (p: string, body: unknown) => api(sp, 'POST', p, { token: st, body });
  t.is((await put('/api/v1/settings', { deviceHistoryLimit: 33, announceTooOftenPerHour: 40, smtpFrom: 'printers@branch.example' })).status, 200);
  await put('/api/v1/credentials/default', { version: '2c', readCommunity: 'branch-ro-7', writeCommunity: 'branch-rw-7' });
  // A policy with a secret setting: sealed under this appliance's key, it must open under the restored one.
  const policyId = (await post('/api/v1/policies', { name: 'Branch baseline', settings: { telnet: false, 'sys-location': 'Branch 7', 'admin-password': 'Bak-Adm1n-7' } })).body.id;
  await put('/api/v1/instant-on', { initialPolicyId: policyId, useSerialList: false });
  t.is((await raw(sp, 'POST', '/api/v1/pki/trusted-cas', { token: st, body: pki.root.der, headers: { 'content-type': 'application/pkix-cert' } })).status, 201);
  const crl = await pki.crl('root');
  t.is((await raw(sp, 'POST', '/api/v1/pki/crls', { token: st, body: crl, headers: { 'content-type': 'text/plain' } })).status, 201);
  t.is((await api(sp, 'GET', '/api/v1/pki/ca', { token: st })).status, 200, 'the built-in appliance CA is made');
  await api(sp, 'POST', '/api/v1/serial-list', { token: st, text: 'SERLIST01\nSERLIST02\n' });
  t.is((await post('/api/v1/listeners', { host: '127.0.0.1', port: 3329, name: 'central', enabled: false })).status, 201);
  t.is((await post('/api/v1/tasks', { policyId, schedule: { kind: 'weekly', startAt: new Date(Date.now() + 86400_000).toISOString() } })).status, 201);
  await fleet.printers[0].boot();
  const g = await post('/api/v1/groups', { name: 'Floor 7', kind: 'manual', members: [fleet.printers[0].serialNumber], priority: 7 });
  t.is(g.status, 201, JSON.stringify(g.body));
  const serial = fleet.printers[0].serialNumber;
  const before = await snapshot(sp, st);

  const short = await api(sp, 'POST', '/api/v1/backup', { token: st, body: { passphrase: 'short', devices: true } });
  t.is(short.status, 400);
  t.is(short.body.error.details[0].field, 'passphrase');
  const made = await raw(sp, 'POST', '/api/v1/backup', { token: st, body: JSON.stringify({ passphrase: PASS, devices: true }), headers: { 'content-type': 'application/json' } });
  t.is(made.status, 200);
  const archive = made.body;
  t.is(archive[0], 0x1f);
  t.false(gunzipSync(archive).includes(Buffer.from('branch-ro-7')), 'no community in the clear');
  t.false(gunzipSync(archive).includes(Buffer.from('Bak-Adm1n-7')), 'no policy secret in the clear');
  t.false(gunzipSync(archive).includes(Buffer.from('BEGIN PRIVATE KEY')), 'no private key in the clear');

  // ——— a fresh appliance, a real process ———
  const [webPort, announcePort] = [await freePort(), await freePort()];
  child = await serve(dataDir, webPort, announcePort);
  const tt = await login(webPort);
  const fresh = await snapshot(webPort, tt);
  const freshPrint = await peerFingerprint(webPort);
  const restore = (body: Buffer | string, passphrase = PASS) => raw(webPort, 'POST', '/api/v1/restore', { token: tt, body, headers: { 'content-type': 'application/gzip', 'x-backup-passphrase': passphrase } });
  const files = await unpackArchive(archive);
  const manifest = JSON.parse(files.get('manifest.json')!.toString());
  const repack = (edit: (m: any, f: Map<string, Buffer>) => void) => { const f = new Map(files); const m = structuredClone(manifest); edit(m, f); f.set('manifest.json', Buffer.from(JSON.stringify(m))); return packArchive([...f].map(([name, data]) => ({ name, data }))); };
  const refused: [string, Buffer | string, string, number, string?][] = [
    ['passphrase too short', archive, 'restore-weak-passphrase', 400, 'short'],
    ['wrong passphrase', archive, 'restore-wrong-passphrase', 422, 'not the right passphrase'],
    ['truncated', archive.subarray(0, Math.floor(archive.length / 2)), 'restore-truncated', 422],
    ['foreign: not gzip', 'hello, this is a text file', 'restore-foreign', 422],
    ['foreign: another tar.gz', await packArchive([{ name: 'etc/passwd', data: Buffer.from('root:x:0:0') }]), 'restore-foreign', 422],
    ['newer version', await repack((m) => { m.formatVersion = 2; m.appVersion = '9.0.0'; }), 'restore-newer-version', 422],
    ['altered section', await repack((_m, f) => { const b = Buffer.from(f.get('sections/policies.jsonl.enc')!); b[0] ^= 1; f.set('sections/policies.jsonl.enc', b); }), 'restore-altered', 422],
    ['section dropped from the manifest', await repack((m, f) => { m.sections = m.sections.filter((x: any) => x.name !== 'credentials'); f.delete('sections/credentials.jsonl.enc'); }), 'restore-altered', 422],
  ];
  for (const [what, body, code, status, passphrase] of refused) {
    const r = await restore(body, passphrase);
    t.is(r.status, status, `${what}: ${r.body.toString().slice(0, 300)}`);
    t.is(r.json?.error?.code, code, what);
    t.regex(r.json?.error?.message ?? '', /nothing was changed/, what);
    t.deepEqual(await snapshot(webPort, tt), fresh, `${what} changed nothing`);
  }
  t.regex((await restore(await repack((m) => { m.formatVersion = 2; m.appVersion = '9.0.0'; }))).json.error.message, /newer version \(instant-on-edge 9\.0\.0/);
  t.is(await peerFingerprint(webPort), freshPrint, 'the identity is unchanged after the refusals');

  // ——— the real restore: the process restarts its components by itself ———
  const ok = await restore(archive);
  t.is(ok.status, 200, ok.body.toString());
  t.is(ok.json.restart, 'restarting');
  t.like(ok.json.restored, { settings: 5, policies: 1, devices: 1, credentials: 1, listeners: 1 });
  // The process restarted its components on the restored store: the web port now presents the restored identity.
  const restored = src.appliance.services.pki.identity().fingerprint256;
  await waitFor(async () => (await peerFingerprint(webPort).catch(() => '')) === restored, 30_000, 200);
  const t2 = await waitFor(async () => { try { return await login(webPort); } catch { return undefined; } }, 30_000, 200);
  const after = await snapshot(webPort, t2);
  t.deepEqual(after, before, 'every setting, policy, credential, CA, CRL, identity, serial, listener, schedule, group and device is back');

  // The restored credential works: assess (and remediate) the printer from the restored appliance.
  const task = await api(webPort, 'POST', `/api/v1/devices/${serial}/assess`, { token: t2, body: { policyId, remediate: true } });
  t.is(task.status, 202);
  await waitFor(async () => (await api(webPort, 'GET', `/api/v1/tasks/${task.body.taskId}`, { token: t2 })).body.state === 'done', 20_000, 200);
  const dev = (await api(webPort, 'GET', `/api/v1/devices/${serial}`, { token: t2 })).body;
  t.true(Date.parse(dev.compliance.at) > Date.parse(ok.json.archive.createdAt), 'a new assessment, made after the restore');
  t.true(['remediated', 'compliant'].includes(dev.compliance.status), `assessment with the restored credential: ${dev.compliance.status} ${dev.compliance.detail ?? ''}`);
  t.is(dev.credentialRef?.source, 'default');
  t.is(fleet.printers[0].agent!.secret('admin-password'), 'Bak-Adm1n-7', 'the restored policy\'s secret opened under the new key and was written');
  const audit = await api(webPort, 'GET', '/api/v1/audit?action=backup.restore', { token: t2 });
  t.is(audit.body.entries[0]?.user, 'admin', 'the restore is in the audit log of the appliance it was made on');
});

test('scheduled backups go to a folder and keep the newest N; bad settings and passphrases are refused', async (t) => {
  const folder = mkdtempSync(join(tmpdir(), 'ioe-usb-'));
  const h = await startTestAppliance();
  const other = await startTestAppliance();
  t.teardown(async () => { await h.stop(); await other.stop(); rmSync(folder, { recursive: true, force: true }); });
  const port = h.appliance.webPort;
  const token = await login(port);
  t.is((await api(port, 'PUT', '/api/v1/settings', { token, body: { backupFolder: 'relative/path' } })).status, 400);
  t.is((await api(port, 'PUT', '/api/v1/settings', { token, body: { backupFolder: folder, backupKeep: 2 } })).status, 200);
  const noPass = await api(port, 'POST', '/api/v1/backup/run', { token });
  t.is(noPass.status, 409);
  t.regex(noPass.body.error.message, /no passphrase/);
  const weak = await api(port, 'PUT', '/api/v1/backup/passphrase', { token, body: { passphrase: 'too short' } });
  t.is(weak.status, 400);
  t.is(weak.body.error.details[0].field, 'passphrase');
  const set = await api(port, 'PUT', '/api/v1/backup/passphrase', { token, body: { passphrase: PASS } });
  t.like(set.body, { enabled: true, passphraseSet: true, keep: 2 });
  t.false(JSON.stringify(set.body).includes(PASS));
  const names: string[] = [];
  for (let i = 0; i < 3; i++) {
    const r = await api(port, 'POST', '/api/v1/backup/run', { token });
    t.is(r.status, 200);
    names.push(r.body.file);
    await new Promise((res) => setTimeout(res, 1100)); // names carry the second
  }
  const status = (await api(port, 'GET', '/api/v1/backup/schedule', { token })).body;
  t.deepEqual(status.files, names.slice(1), 'the newest two are kept');
  t.is(status.last.file, names[2]);
  const audit = JSON.stringify((await api(port, 'GET', '/api/v1/audit?limit=100', { token })).body);
  t.false(audit.includes(PASS), 'no passphrase in the audit log');
  // A scheduled archive restores elsewhere (in-process: the admin restarts it, the answer says so).
  const { readFileSync } = await import('node:fs');
  const op = other.appliance.webPort;
  const ot = await login(op);
  const r = await raw(op, 'POST', '/api/v1/restore', { token: ot, body: readFileSync(join(folder, names[2])), headers: { 'content-type': 'application/gzip', 'x-backup-passphrase': PASS } });
  t.is(r.status, 200, r.body.toString());
  t.is(r.json.restart, 'required');
  t.is(r.json.archive.devices, false);
});

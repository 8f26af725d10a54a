// A damaged store is never opened silently (issue 12 §5) and a failing one is never limped on (issue 13 §4),
// with the real CLI in a child process, real LevelDB files, and real file systems that fill up or fail.
import test from 'ava';
import { mkdtempSync, rmSync, openSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Level } from 'level';
import { frameBytes, sampleAnnouncement, sendRaw } from '../fakes/hdap-raw-client.ts';
import { api, login, waitFor } from '../fakes/appliance.ts';
import { freePort } from '../fakes/ports.ts';
import { spawnCli, startCliAppliance, stopCli } from '../fakes/cli-child.ts';
import { mountFailingExt4, mountTmpfs, tearLog, writeAheadLog } from '../fakes/store-files.ts';

const announce = async (port: number, serial: string) =>
  (await sendRaw(port, frameBytes(sampleAnnouncement(serial)), { timeoutMs: 5000 }).catch(() => ({ acks: [] as any[] }))).acks[0];

test.serial('kill -9, then a torn write-ahead log: the restart reports the damage (error log, status, health) and never claims a clean store', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ioe-torn-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const ports = { announce: await freePort(), web: await freePort() };
  const first = await startCliAppliance(dataDir, ports);
  t.teardown(() => { first.child.kill('SIGKILL'); });
  const serials = Array.from({ length: 40 }, (_, i) => `TORN${String(i).padStart(4, '0')}`);
  const accepted: string[] = [];
  for (const s of serials) if ((await announce(ports.announce, s))?.status === 'accepted') accepted.push(s);
  t.is(accepted.length, 40);
  await new Promise((r) => setTimeout(r, 600)); // the commit mark follows a commit within ~200 ms
  first.child.kill('SIGKILL');
  t.is((await first.exited).signal, 'SIGKILL');

  // The power cut: the log on the card keeps only the first half, torn mid-record.
  const cut = tearLog(writeAheadLog(join(dataDir, 'db')), 0.5);
  t.log(`write-ahead log torn from ${cut.from} to ${cut.to} bytes`);

  const second = await startCliAppliance(dataDir, ports);
  t.teardown(() => { second.child.kill('SIGKILL'); });
  const errorLine = second.logs().find((l) => l.level === 50 && /store was damaged/.test(l.msg));
  t.truthy(errorLine, `an error-level log line reports the damage; got: ${second.output().slice(0, 2000)}`);

  const token = await login(ports.web);
  const status = (await api(ports.web, 'GET', '/api/v1/status', { token })).body;
  t.is(status.health.status, 'degraded');
  t.false(status.store.integrity.clean);
  t.true(status.store.integrity.missingCommits > 0);
  const stored = new Set((await api(ports.web, 'GET', '/api/v1/devices', { token })).body.devices.map((d: any) => d.serialNumber));
  const lost = accepted.filter((s) => !stored.has(s));
  t.true(lost.length > 0, 'the torn half held acknowledged devices');
  // Every acknowledged device that is gone is named: nothing is lost unnamed.
  for (const s of lost) t.true(status.store.integrity.devicesLost.includes(s), `${s} is named as lost`);
  t.regex(errorLine.msg, new RegExp(lost[0]));
  t.is((await api(ports.web, 'GET', '/api/v1/health')).body.status, 'degraded');

  // A clean restart does not make it clean: LevelDB has already replayed the torn log, our record has not forgotten.
  await stopCli(second);
  const third = await startCliAppliance(dataDir, ports);
  t.teardown(() => { third.child.kill('SIGKILL'); });
  t.is((await api(ports.web, 'GET', '/api/v1/health')).body.status, 'degraded');
  const token3 = await login(ports.web);
  const damage = (await api(ports.web, 'GET', '/api/v1/status', { token: token3 })).body.store.damage;
  t.deepEqual(damage.reports[0].devicesLost.slice().sort(), status.store.integrity.devicesLost.slice().sort());
  // Only an admin's acknowledgement (audited like every change) clears it.
  t.is((await api(ports.web, 'POST', '/api/v1/status/store/acknowledge-damage', { token: token3 })).status, 200);
  t.is((await api(ports.web, 'GET', '/api/v1/health')).body.status, 'ok');
  const audit = (await api(ports.web, 'GET', '/api/v1/audit', { token: token3 })).body.entries;
  t.true(audit.some((e: any) => e.path === '/api/v1/status/store/acknowledge-damage' && e.user === 'admin'));
  await stopCli(third);
});

test.serial('a store that cannot open exits non-zero with the cause, not "Database failed to open"', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ioe-locked-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const holder = new Level(join(dataDir, 'db'));
  await holder.open();
  t.teardown(() => holder.close());
  const c = spawnCli(['--data-dir', dataDir, '--host', '127.0.0.1', '--announce-port', String(await freePort()), '--web-port', String(await freePort()), '--dns-port', '0']);
  const { code } = await Promise.race([c.exited, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`did not exit: ${c.output()}`)), 30_000))]);
  t.not(code, 0);
  t.regex(c.output(), /could not be opened: .*lock/i);
  t.regex(c.output(), /another instant-on-edge process is using this data folder/);
  const fatal = c.logs().find((l) => l.level === 60);
  t.truthy(fatal);
  t.notRegex(fatal.err.message, /^Database failed to open$/);
});

test.serial('a full disk: health degraded, devices told busy, and the appliance recovers by itself once space is freed', async (t) => {
  const fs = mountTmpfs('24m');
  if ('skip' in fs) { t.log(`SKIPPED: ${fs.skip}`); t.pass(); return; }
  t.teardown(fs.unmount);
  const ports = { announce: await freePort(), web: await freePort() };
  const c = await startCliAppliance(join(fs.dir, 'data'), ports, { INSTANT_ON_STORE_MIN_FREE_MB: '1' });
  t.teardown(() => { c.child.kill('SIGKILL'); });
  t.is((await announce(ports.announce, 'FULL0001'))?.status, 'accepted');
  const token = await login(ports.web);

  const filler = join(fs.dir, 'filler');
  const fd = openSync(filler, 'w');
  for (const size of [256 * 1024, 4096]) {
    try { for (;;) writeSync(fd, Buffer.alloc(size, 7)); } catch (err) { if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err; }
  }
  closeSync(fd);
  t.is((await api(ports.web, 'GET', '/api/v1/health')).body.status, 'degraded');
  // The log's last page may still hold a few small writes; the first that needs a new block fails. From then
  // on every device hears busy (and retries later): nothing is acknowledged that is not stored.
  const refused: string[] = [];
  for (let i = 0; i < 200 && refused.length < 4; i++) {
    const serial = `FULL1${String(i).padStart(3, '0')}`;
    const ack = await announce(ports.announce, serial);
    if (ack?.status === 'accepted') { t.is(refused.length, 0, 'once refused, nothing is accepted until space is back'); continue; }
    t.is(ack?.reason, 'busy');
    refused.push(serial);
  }
  t.is(refused.length, 4);
  const during = (await api(ports.web, 'GET', '/api/v1/status', { token })).body;
  t.is(during.store.state, 'disk-full');
  t.true(during.store.writes.failedBatches + during.store.writes.refused >= 1);
  t.true(c.logs().some((l) => l.level === 50 && /disk is full/.test(l.msg)));

  rmSync(filler);
  await waitFor(async () => (await api(ports.web, 'GET', '/api/v1/health')).body.status === 'ok', 20_000, 200);
  t.is((await announce(ports.announce, 'FULL2000'))?.status, 'accepted');
  const devices = (await api(ports.web, 'GET', '/api/v1/devices', { token })).body.devices.map((d: any) => d.serialNumber);
  t.true(devices.includes('FULL0001') && devices.includes('FULL2000'));
  for (const s of refused) t.false(devices.includes(s), `${s} was refused, so it is not recorded`);
  t.true(c.logs().some((l) => /writable again/.test(l.msg ?? '')));
  await stopCli(c);
});

test.serial('a failing store (the file system fails under it) makes the process exit non-zero with the cause logged', async (t) => {
  const fs = mountFailingExt4();
  if ('skip' in fs) { t.log(`SKIPPED: ${fs.skip}`); t.pass(); return; }
  t.teardown(fs.unmount);
  const ports = { announce: await freePort(), web: await freePort() };
  const c = await startCliAppliance(join(fs.dir, 'data'), ports);
  t.teardown(() => { c.child.kill('SIGKILL'); });
  t.is((await announce(ports.announce, 'FAIL0001'))?.status, 'accepted');
  fs.abort(); // what ext4 does on an I/O error from a dying card: the journal aborts, every write fails
  const ack = await announce(ports.announce, 'FAIL0002');
  t.not(ack?.status, 'accepted');
  const { code, signal } = await Promise.race([c.exited, new Promise<never>((_, rej) => setTimeout(() => rej(new Error(`still running: ${c.output().slice(-2000)}`)), 20_000))]);
  t.is(signal, null);
  t.not(code, 0, 'a non-zero exit, so systemd restarts it');
  const fatal = c.logs().find((l) => l.level === 60 && /store is failing/.test(l.msg));
  t.truthy(fatal, c.output().slice(-3000));
  t.regex(JSON.stringify(fatal), /Read-only file system|Input\/output error/);
  t.true(c.logs().some((l) => l.level === 50 && /durable write failed/.test(l.msg)));
});

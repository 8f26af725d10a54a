// kill -9 right after an `accepted` Acknowledge, restart on the same data folder: the device is there.
// Runs the real CLI in a child process, so nothing in this process can flush on its behalf.
import test from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { frameBytes, sampleAnnouncement, sendRaw } from '../fakes/hdap-raw-client.ts';
import { login, ADMIN_PASSWORD, allDevices } from '../fakes/appliance.ts';
import { freePort } from '../fakes/ports.ts';

const root = new URL('../../', import.meta.url).pathname;

function startCli(dataDir: string, announcePort: number, webPort: number): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import=tsx', join(root, 'appliance/src/cli.ts'), 'serve', '--data-dir', dataDir,
      '--host', '127.0.0.1', '--announce-port', String(announcePort), '--web-port', String(webPort), '--dns-port', '0'],
    { cwd: root, env: { ...process.env, INSTANT_ON_ADMIN_PASSWORD: ADMIN_PASSWORD, INSTANT_ON_LOG_FORMAT: 'json' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const timer = setTimeout(() => reject(new Error(`not ready: ${out}`)), 30_000);
    child.stdout!.on('data', (c) => { out += c; if (out.includes('admin page and API ready')) { clearTimeout(timer); resolve(child); } });
    child.stderr!.on('data', (c) => { out += c; });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`exited ${code}: ${out}`)); });
  });
}


test('kill -9 right after accepted: the device is there after a restart', async (t) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'ioe-crash-'));
  t.teardown(() => rmSync(dataDir, { recursive: true, force: true }));
  const [ap, wp] = [await freePort(), await freePort()];
  const child = await startCli(dataDir, ap, wp);
  const serials = Array.from({ length: 20 }, (_, i) => `CRASH${String(i).padStart(4, '0')}`);
  // Fire 20 at once and SIGKILL the moment the first accepted arrives: every accepted one must survive.
  const accepted: string[] = [];
  await Promise.all(serials.map(async (s) => {
    const r = await sendRaw(ap, frameBytes(sampleAnnouncement(s)), { timeoutMs: 5000 }).catch(() => ({ acks: [] as any[] }));
    if (r.acks[0]?.status === 'accepted') { accepted.push(s); child.kill('SIGKILL'); }
  }));
  t.true(accepted.length >= 1);
  await new Promise((r) => child.exitCode !== null || child.signalCode ? r(null) : child.once('exit', r));
  const again = await startCli(dataDir, ap, wp);
  t.teardown(() => { again.kill('SIGKILL'); });
  const token = await login(wp);
  const stored = new Set((await allDevices(wp, token)).map((d: any) => d.serialNumber));
  for (const s of accepted) t.true(stored.has(s), `${s} was acknowledged, so it must be stored`);
});

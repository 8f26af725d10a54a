// Issue 8: the hub is down while announcements queue at the branch; the branch (the real CLI, in a child
// process) is SIGKILLed in the middle and restarted on the same data folder. When the hub returns every
// announcement the branch acknowledged arrives, none twice, the outbox drains to zero and its size stays
// under the cap. 2,000 here to keep CI short; FORWARD_KILL_COUNT=10000 runs the full figure.
import test from 'ava';
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestAppliance, api, login, waitFor, ADMIN_PASSWORD, allDevices } from '../fakes/appliance.ts';
import { Fleet } from '../../appliance/src/sim/fleet.ts';

const root = new URL('../../', import.meta.url).pathname;
const COUNT = Number(process.env.FORWARD_KILL_COUNT ?? 2000);
const CAP_BYTES = 16 * 1024 * 1024;

interface Branch { child: ChildProcess; announcePort: number; webPort: number }

function startBranch(dataDir: string): Promise<Branch> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import=tsx', join(root, 'appliance/src/cli.ts'), 'serve', '--data-dir', dataDir,
      '--host', '127.0.0.1', '--announce-port', '0', '--web-port', '0', '--dns-port', '0'], {
      cwd: root, stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, INSTANT_ON_ADMIN_PASSWORD: ADMIN_PASSWORD, INSTANT_ON_LOG_FORMAT: 'json', INSTANT_ON_LISTENER_ID: 'branch-kill',
        INSTANT_ON_FORWARD_BIND: '127.0.0.1', INSTANT_ON_FORWARD_RETRY_BASE_MS: '200', INSTANT_ON_FORWARD_RETRY_MAX_MS: '1000',
        INSTANT_ON_OUTBOX_MAX_BYTES: String(CAP_BYTES), INSTANT_ON_MAX_CONN_PER_SOURCE: '64' },
    });
    let out = '';
    let announcePort = 0;
    const timer = setTimeout(() => reject(new Error(`branch not ready: ${out.slice(-2000)}`)), 60_000);
    child.stdout!.on('data', (c) => {
      out += c;
      for (const line of out.split('\n')) {
        if (line.includes('announcement listener ready')) announcePort = JSON.parse(line).port;
        if (line.includes('admin page and API ready') && announcePort) {
          clearTimeout(timer);
          resolve({ child, announcePort, webPort: JSON.parse(line).port });
          out = '';
          return;
        }
      }
      out = out.slice(out.lastIndexOf('\n') + 1);
    });
    child.stderr!.on('data', (c) => { out += c; });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`branch exited ${code}: ${out.slice(-2000)}`)); });
  });
}

test(`hub down, ${COUNT} queued, branch SIGKILLed mid-way and restarted: all arrive once, outbox drains under the cap`, async (t) => {
  t.timeout(600_000);
  const hubDir = mkdtempSync(join(tmpdir(), 'ioe-hub-'));
  const branchDir = mkdtempSync(join(tmpdir(), 'ioe-branch-'));
  const hubCli = { hubMode: true, listenerId: 'hub-central', relayPeers: ['127.0.0.1'], maxConnectionsPerSource: 64 };
  let hub = await startTestAppliance({ dataDir: hubDir, cli: hubCli });
  const hubPort = hub.appliance.announcePort;
  await hub.stop(true); // the hub is down from here on
  let branch = await startBranch(branchDir);
  const cleanup: (() => Promise<unknown> | void)[] = [() => rmSync(branchDir, { recursive: true, force: true })];
  t.teardown(async () => { for (const c of cleanup.reverse()) await c(); });
  cleanup.push(() => { branch.child.kill('SIGKILL'); });

  let token = await login(branch.webPort);
  t.is((await api(branch.webPort, 'POST', '/api/v1/listeners', { token, body: { host: '127.0.0.1', port: hubPort, validateIdentityCertificate: false } })).status, 201);

  // Announce; SIGKILL the branch when half the printers are through.
  const fleet = new Fleet({ count: COUNT, serialPrefix: 'KILL', resolveTarget: async () => ({ host: '127.0.0.1', port: branch.announcePort, timeoutMs: 5000 }) });
  let killedAt = 0;
  const exited = new Promise((r) => branch.child.once('exit', r));
  await fleet.announceAll('initial-boot', { concurrency: 32, onProgress: (n) => { if (!killedAt && n >= COUNT / 2) { killedAt = n; branch.child.kill('SIGKILL'); } } });
  await exited;
  const failedFirst = fleet.printers.filter((p) => p.status !== 'Success').length;
  t.log(`SIGKILL after ${killedAt} exchanges; ${failedFirst} printers failed to announce and will retry`);
  t.true(failedFirst > 0, 'the kill interrupted the flood');

  branch = await startBranch(branchDir);
  token = await login(branch.webPort);
  // Printers whose DAA reported Failed announce again (a new messageId, as a real retry would).
  for (let round = 0; round < 5 && fleet.printers.some((p) => p.status !== 'Success'); round++) {
    const todo = fleet.printers.filter((p) => p.status !== 'Success');
    await Promise.all(Array.from({ length: 32 }, async () => { for (let p = todo.pop(); p; p = todo.pop()) await p.announce('initial-boot'); }));
  }
  t.is(fleet.summary().Success, COUNT);
  const queued = (await api(branch.webPort, 'GET', '/api/v1/forwarding', { token })).body;
  t.log(`queued at the branch: ${queued.backlog} relays, ${(queued.backlogBytes / 1024 / 1024).toFixed(1)} MiB (cap ${CAP_BYTES / 1024 / 1024} MiB)`);
  t.true(queued.backlog >= COUNT, 'every acknowledged announcement is queued');
  t.true(queued.peakBytes < CAP_BYTES);
  t.deepEqual(queued.dropped, {});
  const dbBytes = Number(execFileSync('du', ['-sb', join(branchDir, 'db')], { encoding: 'utf8' }).split('\t')[0]);
  t.log(`branch LevelDB on disk while queued: ${(dbBytes / 1024 / 1024).toFixed(1)} MiB`);

  // The hub returns on its old address; the branch's back-off finds it.
  const hubBack = Date.now();
  hub = await startTestAppliance({ dataDir: hubDir, cli: { ...hubCli, announcePort: hubPort } });
  cleanup.push(() => rmSync(hubDir, { recursive: true, force: true }), () => hub.stop());
  await waitFor(async () => (await api(branch.webPort, 'GET', '/api/v1/forwarding', { token })).body.backlog === 0, 300_000, 200);
  const drainS = (Date.now() - hubBack) / 1000;
  t.log(`drained ${queued.backlog} in ${drainS.toFixed(1)} s after the hub returned (${Math.round(queued.backlog / drainS)} relays/s, incl. back-off)`);

  const branchDevices = (await allDevices(branch.webPort, token)) as { serialNumber: string; announceCount: number }[];
  t.is(branchDevices.length, COUNT);
  t.is(hub.appliance.registry.size, COUNT, 'every device arrived at the hub, none twice');
  const mismatched = branchDevices.filter((d) => hub.appliance.registry.get(d.serialNumber)?.announceCount !== d.announceCount);
  t.deepEqual(mismatched.slice(0, 5), [], 'the hub recorded exactly the announcements the branch acknowledged');
  t.true(hub.appliance.registry.list().every((d) => d.forwardedBy?.[0]?.listenerId === 'branch-kill'));
  const after = (await api(branch.webPort, 'GET', '/api/v1/forwarding', { token })).body;
  t.is(after.backlog, 0);
  t.deepEqual(after.dropped, {});
  t.true(after.peakBytes < CAP_BYTES);
  const listener = (await api(branch.webPort, 'GET', '/api/v1/listeners', { token })).body.listeners[0];
  t.is(listener.status.backlog, 0);
  t.truthy(listener.status.lastSuccessAt);
});

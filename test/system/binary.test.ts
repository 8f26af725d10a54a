// The single binary, as a branch office would get it: copied alone into an empty folder, no Node, no
// node_modules. x64 natively; arm64 under qemu-aarch64-static with a Debian cross sysroot.
import test from 'ava';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binaryPath, ensureBinaries, portFrom, repo, run, start } from './fixtures/binary.ts';
import { api, login } from '../fakes/appliance.ts';

const version = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version;

test.before(() => ensureBinaries());

/** An empty folder holding only the binary; a minimal environment (no NODE_*, nothing on PATH of ours). */
function lonely(t: { teardown(fn: () => void): void }, arch: 'x64' | 'arm64') {
  const dir = mkdtempSync(join(tmpdir(), `ioe-bin-${arch}-`));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const bin = join(dir, `instant-on-edge-linux-${arch}`);
  copyFileSync(binaryPath(arch), bin);
  execFileSync('chmod', ['755', bin]);
  const env = { PATH: '/usr/bin:/bin', HOME: dir, XDG_CACHE_HOME: join(dir, 'xdg-cache'), INSTANT_ON_LOG_FORMAT: 'json' };
  return { dir, bin, env };
}

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, rejectUnauthorized: false, timeout: 10_000 }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

async function getJson(port: number, path: string): Promise<{ status: number; body: any }> {
  const r = await get(port, path);
  return { status: r.status, body: JSON.parse(r.body) };
}

const serveArgs = ['serve', '--data-dir', './data', '--host', '127.0.0.1', '--dns-port', '0', '--announce-port', '0', '--web-port', '0'];

test('x64 binary alone in an empty folder prints its version', async (t) => {
  const { dir, bin, env } = lonely(t, 'x64');
  const { stdout } = await run(bin, ['--version'], { cwd: dir, env });
  t.is(stdout.trim(), version);
  t.deepEqual(readdirSync(dir), ['instant-on-edge-linux-x64'], 'nothing unpacked next to it for --version');
});

test('x64 binary alone serves a demo fleet: announcements accepted, health over HTTPS, clean stop', async (t) => {
  const { dir, bin, env } = lonely(t, 'x64');
  const app = start(bin, [...serveArgs, '--demo', '3'], { cwd: dir, env });
  t.teardown(() => app.child.kill('SIGKILL'));
  await app.waitFor(/admin page and API ready/, 60_000);
  t.log(`start to web port bound: ${(performance.now() - app.startedAt).toFixed(0)} ms (first start: makes the identity)`);
  const [announced] = await app.waitFor(/\{[^\n]*"demo fleet announced"[^\n]*\}/, 60_000);
  t.like(JSON.parse(announced).summary, { Success: 3, Failed: 0 });
  t.is(app.output().match(/"device discovered"/g)?.length, 3);

  const webPort = portFrom(app.output(), /admin page and API ready/);
  const health = await getJson(webPort, '/api/v1/health');
  t.is(health.status, 200);
  t.deepEqual(health.body, { status: 'ok' }, 'without sign-in health says only ok or degraded');
  // Signed in with the generated first-start password, health has the details.
  const token = await login(webPort, readFileSync(join(dir, 'data', 'initial-admin-password'), 'utf8').trim());
  t.like((await api(webPort, 'GET', '/api/v1/health', { token })).body, { status: 'ok', version, devices: 3 });
  const page = await get(webPort, '/');
  t.is(page.status, 200);
  t.regex(page.body, /<html/i, 'the admin page comes out of the binary');

  await app.waitFor(/DNS responder ready/, 30_000);
  const dnsPort = portFrom(app.output(), /DNS responder ready/);
  for (const transport of ['+notcp', '+tcp']) {
    const dig = await run('dig', ['@127.0.0.1', '-p', String(dnsPort), 'hp-print-mgmt', 'A', transport, '+short', '+time=5']);
    t.regex(dig.stdout, /^\d+\.\d+\.\d+\.\d+$/m, `dig ${transport} hp-print-mgmt`);
  }

  // The LevelDB addon came out of the binary into the cache folder (XDG_CACHE_HOME here).
  const cached = readdirSync(join(dir, 'xdg-cache', 'instant-on-edge'));
  t.true(cached.some((f) => /^classic-level-[0-9a-f]{16}\.node$/.test(f)), cached.join(','));

  app.child.kill('SIGTERM');
  t.is(await app.exited, 0);
});

test('x64 binary restarts quickly on its own data', async (t) => {
  const { dir, bin, env } = lonely(t, 'x64');
  const first = start(bin, serveArgs, { cwd: dir, env });
  await first.waitFor(/admin page and API ready/, 60_000);
  first.child.kill('SIGTERM');
  t.is(await first.exited, 0);
  const again = start(bin, serveArgs, { cwd: dir, env });
  t.teardown(() => again.child.kill('SIGKILL'));
  await again.waitFor(/admin page and API ready/, 30_000);
  const ms = performance.now() - again.startedAt;
  t.log(`x64 start to all ports bound (store exists): ${ms.toFixed(0)} ms`);
  t.true(ms < 5000, `${ms} ms`);
  again.child.kill('SIGTERM');
  t.is(await again.exited, 0);
});

test('arm64 binary under qemu-aarch64-static: version, and it answers an HDAP announcement', async (t) => {
  const sysroot = execFileSync(join(repo, 'scripts/binary/arm64-sysroot.sh'), [join(repo, 'build/arm64-sysroot')])
    .toString().trim();
  const { dir, bin, env } = lonely(t, 'arm64');
  const { stdout } = await run('qemu-aarch64-static', ['-L', sysroot, bin, '--version'], { cwd: dir, env });
  t.is(stdout.trim(), version);

  const app = start('qemu-aarch64-static', ['-L', sysroot, bin, ...serveArgs], { cwd: dir, env });
  t.teardown(() => app.child.kill('SIGKILL'));
  await app.waitFor(/admin page and API ready/, 90_000);
  t.log(`arm64 (emulated) start to web port bound: ${(performance.now() - app.startedAt).toFixed(0)} ms`);
  const port = portFrom(app.output(), /announcement listener ready/);

  // The printer side is the x64 binary's own simulator (--once: announce and exit, no SNMP agents).
  const sim = await run(binaryPath('x64'), ['simulate', '--once', '--server', `127.0.0.1:${port}`, '--count', '2'],
    { cwd: dir, env: { ...env, XDG_CACHE_HOME: join(dir, 'sim-cache') } });
  t.regex(sim.stdout, /"Success":2,"Failed":0/);
  // Both printers' discoveries, in whatever order the emulated appliance logged them.
  await app.waitFor(/"serial":"LAB000001"[^\n]*"device discovered"/, 20_000);
  await app.waitFor(/"serial":"LAB000000"[^\n]*"device discovered"/, 20_000);
  app.child.kill('SIGTERM');
  t.is(await app.exited, 0);
});

test('web assets ride inside the binary and are served from it, not from disk', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'ioe-probe-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const web = join(dir, 'web');
  mkdirSync(join(web, 'assets'), { recursive: true });
  writeFileSync(join(web, 'index.html'), '<title>instant-on-edge</title>');
  writeFileSync(join(web, 'assets', 'app.js'), 'console.log(1)');
  await run(process.execPath, ['--import=tsx', join(repo, 'scripts/build-binary.ts'), '--targets', 'x64',
    '--entry', join(repo, 'test/system/fixtures/sea-probe.ts'), '--web', web, '--out', join(dir, 'out'), '--work', join(dir, 'work')], { cwd: repo });
  rmSync(web, { recursive: true });
  const { stdout } = await run(join(dir, 'out', 'instant-on-edge-linux-x64'), [], { cwd: dir, env: { PATH: '/usr/bin:/bin' } });
  t.deepEqual(JSON.parse(stdout), {
    sea: true, list: ['assets/app.js', 'index.html'], index: '<title>instant-on-edge</title>', nested: 'console.log(1)', escape: true,
  });
});

// systemd notify protocol against a real datagram socket (python3 standing in for systemd) and the real
// `systemd-notify` tool, driven by a small daemon built on createSdNotifier.
import test from 'ava';
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { createSdNotifier, watchdogInterval } from '../../appliance/src/system/sd-notify.ts';
import { silentLogger } from '../../appliance/src/util/log.ts';
import { startNotifyListener, type NotifyMessage } from './fixtures/notify-listener.ts';
import { portFrom, repo, run, start } from './fixtures/binary.ts';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const daemon = fileURLToPath(new URL('./fixtures/notify-daemon.ts', import.meta.url));

function startDaemon(notifySocket: string, watchdogUsec: number) {
  const child = spawn(process.execPath, ['--import=tsx', daemon], {
    env: { ...process.env, NOTIFY_SOCKET: notifySocket, WATCHDOG_USEC: String(watchdogUsec), BLOCK_MS: '2500' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
  const port = () => Number(/port=(\d+)/.exec(out)?.[1] ?? 0);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, port, exited };
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ port, host: '127.0.0.1' }, () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

const pings = (ms: NotifyMessage[]) => ms.filter((m) => m.fields.WATCHDOG === '1').map((m) => m.t);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('READY only once the port accepts, WATCHDOG at half of WATCHDOG_USEC, STOPPING on SIGTERM', async (t) => {
  const listener = await startNotifyListener();
  t.teardown(() => listener.close());
  const d = startDaemon(listener.socketPath, 1_000_000);
  t.teardown(() => d.child.kill('SIGKILL'));

  const ready = await listener.waitFor((m) => m.fields.READY === '1', 20_000);
  const port = d.port();
  t.true(port > 0, 'daemon printed its port before READY');
  t.true(await accepts(port), 'port accepts connections when READY arrives');
  t.is(ready.fields.MAINPID, String(d.child.pid));
  t.is(ready.fields.STATUS, `listening on ${port}`);
  t.false(listener.messages.some((m) => m.fields.WATCHDOG === '1' && m.t < ready.t), 'no ping before READY');

  await sleep(3000);
  const times = pings(listener.messages);
  t.true(times.length >= 4, `expected ≥ 4 pings in 3 s at 500 ms, got ${times.length}`);
  const gaps = times.slice(1).map((x, i) => x - times[i]!);
  const median = [...gaps].sort((a, b) => a - b)[Math.floor(gaps.length / 2)]!;
  t.true(median > 350 && median < 900, `median ping gap ${median.toFixed(0)} ms, expected ≈ 500`);

  d.child.kill('SIGTERM');
  const stopping = await listener.waitFor((m) => m.fields.STOPPING === '1', 10_000);
  t.is(await d.exited, 0);
  t.false(pings(listener.messages).some((p) => p > stopping.t), 'no ping after STOPPING');
});

test('a blocked event loop stops the watchdog pings', async (t) => {
  const listener = await startNotifyListener();
  t.teardown(() => listener.close());
  const d = startDaemon(listener.socketPath, 600_000); // ping every 300 ms
  t.teardown(() => d.child.kill('SIGKILL'));
  await listener.waitFor((m) => m.fields.READY === '1', 20_000);
  await sleep(1200);
  const blockedAt = Date.now();
  d.child.kill('SIGUSR2'); // the daemon spins for 2.5 s
  await sleep(4000);
  const times = pings(listener.messages);
  const during = times.filter((x) => x > blockedAt + 400 && x < blockedAt + 2300);
  t.deepEqual(during, [], 'no pings while the loop is blocked');
  const gaps = times.slice(1).map((x, i) => x - times[i]!);
  t.true(Math.max(...gaps) >= 2200, `longest gap ${Math.max(...gaps).toFixed(0)} ms spans the block`);
  t.true(times.some((x) => x > blockedAt + 2700), 'pings resume once the loop runs again');
});

test('watchdog interval is half of WATCHDOG_USEC and only for the PID systemd named', (t) => {
  t.is(watchdogInterval({ WATCHDOG_USEC: '30000000' }, 42), 15_000);
  t.is(watchdogInterval({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '42' }, 42), 15_000);
  t.is(watchdogInterval({ WATCHDOG_USEC: '30000000', WATCHDOG_PID: '7' }, 42), undefined);
  t.is(watchdogInterval({}, 42), undefined);
  t.is(watchdogInterval({ WATCHDOG_USEC: 'soon' }, 42), undefined);
});

test('outside systemd every call is a no-op', async (t) => {
  const n = createSdNotifier(silentLogger(), { env: {}, command: '/nonexistent/systemd-notify' });
  t.false(n.enabled);
  n.ready('x');
  n.status('y');
  n.startWatchdog();
  n.stopping();
  await n.flush();
  t.pass();
});

test('multi-line status becomes one STATUS line; repeats are not re-sent', async (t) => {
  const listener = await startNotifyListener();
  t.teardown(() => listener.close());
  const n = createSdNotifier(silentLogger(), { env: { NOTIFY_SOCKET: listener.socketPath } });
  n.status('3 devices\nqueue 0');
  n.status('3 devices\nqueue 0');
  n.status('4 devices, queue 1');
  await n.flush();
  await listener.waitFor((m) => m.fields.STATUS === '4 devices, queue 1', 5000);
  t.deepEqual(listener.messages.map((m) => m.fields.STATUS), ['3 devices queue 0', '4 devices, queue 1']);
});

test('the appliance sends READY only once the store is open and DNS, 3329 and the web port answer; STOPPING on SIGTERM', async (t) => {
  const listener = await startNotifyListener();
  t.teardown(() => listener.close());
  const dir = mkdtempSync(join(tmpdir(), 'ioe-notify-'));
  t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  const app = start(process.execPath, ['--import=tsx', join(repo, 'appliance/src/cli.ts'), 'serve', '--data-dir', join(dir, 'data'),
    '--host', '127.0.0.1', '--dns-port', '0', '--announce-port', '0', '--web-port', '0'], {
    cwd: repo, // --import=tsx resolves from here
    env: { ...process.env, NOTIFY_SOCKET: listener.socketPath, WATCHDOG_USEC: '2000000', INSTANT_ON_LOG_FORMAT: 'json' },
  });
  t.teardown(() => app.child.kill('SIGKILL'));

  const ready = await listener.waitFor((m) => m.fields.READY === '1', 60_000);
  // What the log said before READY arrived: every port must already be bound and answering.
  const logAtReady = app.output();
  const dnsPort = portFrom(logAtReady, /DNS responder ready/);
  t.true(await accepts(portFrom(logAtReady, /announcement listener ready/)), 'HDAP port accepts at READY');
  t.true(await accepts(portFrom(logAtReady, /admin page and API ready/)), 'web port accepts at READY');
  const dig = await run('dig', ['@127.0.0.1', '-p', String(dnsPort), 'hp-print-mgmt', 'A', '+short', '+time=3']);
  t.regex(dig.stdout, /^\d+\.\d+\.\d+\.\d+$/m, 'DNS answers at READY');
  t.regex(logAtReady, /"store open"/);
  t.truthy(ready.fields.STATUS, 'READY carries a STATUS line for systemctl status');
  t.log(`READY status: ${ready.fields.STATUS}`);

  await listener.waitFor((m) => m.fields.WATCHDOG === '1' && m.t > ready.t + 1500, 10_000);

  app.child.kill('SIGTERM');
  await listener.waitFor((m) => m.fields.STOPPING === '1', 15_000);
  t.is(await app.exited, 0);
});

// A start that fails half-way (a port already taken) must unwind: the components that did start are stopped
// in reverse — listeners before the store — so no printer is accepted into a closed database, the process
// exits non-zero naming the port, and the data folder is free for the next start.
import test from 'ava';
import { spawn } from 'node:child_process';
import dgram from 'node:dgram';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Appliance } from '../../appliance/src/system/controller.ts';
import { ComponentStartError } from '../../appliance/src/util/component.ts';
import { silentLogger } from '../../appliance/src/util/log.ts';
import { Store } from '../../appliance/src/store/store.ts';
import { freePort } from '../fakes/ports.ts';
import { frameBytes, sampleAnnouncement, sendRaw } from '../fakes/hdap-raw-client.ts';
import { ADMIN_PASSWORD } from '../fakes/appliance.ts';

const root = new URL('../../', import.meta.url).pathname;
type Which = 'announce' | 'dns' | 'web';

async function ports() { return { announce: await freePort(), dns: await freePort(), web: await freePort() }; }

/** Holds a port the way another program would: TCP for all three, and UDP too for DNS. */
async function occupy(port: number, udp: boolean): Promise<() => Promise<void>> {
  const tcp = net.createServer();
  await new Promise<void>((r) => tcp.listen({ host: '127.0.0.1', port }, r));
  const sock = udp ? dgram.createSocket('udp4') : undefined;
  if (sock) await new Promise<void>((r) => sock.bind(port, '127.0.0.1', r));
  return async () => { sock?.close(); await new Promise((r) => tcp.close(r)); };
}

const refused = (port: number) => new Promise<boolean>((resolve) => {
  const s = net.connect({ host: '127.0.0.1', port });
  s.once('connect', () => { s.destroy(); resolve(false); });
  s.once('error', () => resolve(true));
});

for (const which of ['announce', 'dns', 'web'] as Which[]) {
  test(`in process: ${which} port taken → start rejects naming it; what started is stopped and the store is closed`, async (t) => {
    const p = await ports();
    const dataDir = mkdtempSync(join(tmpdir(), 'ioe-startfail-'));
    const release = await occupy(p[which], which === 'dns');
    t.teardown(async () => { await release(); rmSync(dataDir, { recursive: true, force: true }); });
    const err = await t.throwsAsync(Appliance.start({ log: silentLogger(), env: { INSTANT_ON_ADMIN_PASSWORD: ADMIN_PASSWORD },
      cli: { dataDir, host: '127.0.0.1', announcePort: p.announce, dnsPort: p.dns, webPort: p.web } }));
    t.true(err instanceof ComponentStartError, String(err));
    t.is((err as ComponentStartError).component, which);
    t.is((err as ComponentStartError).code, 'EADDRINUSE');
    t.true(err!.message.includes(String(p[which])), err!.message);
    // Every port this start bound is closed again (ours is still held by the occupier).
    for (const other of (['announce', 'web'] as Which[]).filter((w) => w !== which)) t.true(await refused(p[other]), `${other} port still accepts`);
    // The LevelDB lock was released: the store opens again at once.
    const again = await Store.open({ dir: join(dataDir, 'db') });
    await again.close();
  });
}

test('CLI: web port taken while printers connect to 3329 → exit 1 naming the port, no "Database is not open"', async (t) => {
  const p = await ports();
  const dataDir = mkdtempSync(join(tmpdir(), 'ioe-startfail-'));
  const release = await occupy(p.web, false);
  t.teardown(async () => { await release(); rmSync(dataDir, { recursive: true, force: true }); });
  const child = spawn(process.execPath, ['--import=tsx', join(root, 'appliance/src/cli.ts'), 'serve', '--data-dir', dataDir, '--host', '127.0.0.1',
    '--announce-port', String(p.announce), '--web-port', String(p.web), '--dns-port', String(p.dns)],
  { cwd: root, env: { ...process.env, INSTANT_ON_ADMIN_PASSWORD: ADMIN_PASSWORD, INSTANT_ON_LOG_FORMAT: 'json' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c) => { out += c; });
  child.stderr.on('data', (c) => { out += c; });
  // Printers hammering 3329 for as long as the process lives: any that get in must not meet a closed store.
  let alive = true;
  let answered = 0;
  const hammer = (async () => {
    for (let i = 0; alive; i++) {
      const r = await sendRaw(p.announce, frameBytes(sampleAnnouncement(`START${i}`)), { timeoutMs: 2000 }).catch(() => undefined);
      answered += r?.acks.length ?? 0;
      await new Promise((r) => setTimeout(r, 2));
    }
  })();
  const code = await new Promise<number | null>((resolve) => {
    const timer = setTimeout(() => { child.kill('SIGKILL'); resolve(null); }, 60_000);
    child.on('exit', (c) => { clearTimeout(timer); resolve(c); });
  });
  alive = false;
  await hammer;
  t.is(code, 1, out);
  t.true(out.includes(String(p.web)), 'the taken port is named');
  t.regex(out, /web could not start/);
  t.false(/Database is not open/i.test(out), out);
  t.true(await refused(p.announce), 'nothing listens on 3329 afterwards');
  t.log(`${answered} announcements answered while the start was failing`);
});

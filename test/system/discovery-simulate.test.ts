// Issue 14 item 7: `npm run simulate` printers have real SNMP agents (what they announce is remediated),
// `--silent` printers have agents but never announce and are found by a sweep, as root each agent listens on
// port 161 of its own 127.x address, and their serials carry the simulate prefix (LAB), not the demo's (SIM).
import test from 'ava';
import { spawn, type ChildProcess } from 'node:child_process';
import { startTestAppliance, api, login, waitFor } from '../fakes/appliance.ts';
import { simAddress } from '../../appliance/src/sim/printer.ts';

const isRoot = process.getuid?.() === 0;

function simulate(t: any, args: string[]): { child: ChildProcess; out: () => string; exited: Promise<number | null> } {
  const child = spawn(process.execPath, ['--import=tsx', 'appliance/src/cli.ts', 'simulate', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.on('data', (b) => { out += b; });
  child.stderr!.on('data', (b) => { out += b; });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  t.teardown(async () => { if (child.exitCode === null) { child.kill('SIGTERM'); await exited; } });
  return { child, out: () => out, exited };
}

test('simulate: announcing printers are remediated over their own agents; --silent printers are found by a sweep of port 161', async (t) => {
  if (!isRoot) { t.fail('port 161 needs root (CI runs the tests as root)'); return; }
  const h = await startTestAppliance({ env: { INSTANT_ON_DISCOVERY_TIMEOUT_MS: '400', INSTANT_ON_DISCOVERY_RETRIES: '1', INSTANT_ON_SNMP_TIMEOUT_MS: '1000' } });
  t.teardown(() => h.stop());
  const web = h.appliance.webPort;
  const token = await login(web);
  await api(web, 'PUT', '/api/v1/credentials/default', { token, body: { version: '2c', readCommunity: 'public', writeCommunity: 'private' } });
  const policyId = (await api(web, 'POST', '/api/v1/policies', { token, body: { name: 'lab', settings: { telnet: false } } })).body.id;
  await api(web, 'PUT', '/api/v1/instant-on', { token, body: { allowAutomaticRemediation: true, initialPolicyId: policyId } });

  // Indexes of their own (addresses 127.0.x.y follow from the index), away from other tests' printers.
  const base = 40_000 + 10 * Math.floor(Math.random() * 2000);
  const loud = simulate(t, ['--server', `127.0.0.1:${h.appliance.announcePort}`, '--count', '2', '--first-index', String(base)]);
  await waitFor(() => loud.out().includes('Ctrl-C stops the printers'), 30_000, 100);
  t.regex(loud.out(), /"snmpPort":161/);
  const serials = [`LAB0${base}`, `LAB0${base + 1}`];
  await waitFor(() => serials.every((s) => h.appliance.registry.get(s)?.compliance?.status === 'remediated'), 20_000, 100);
  t.like(h.appliance.registry.get(serials[0]), { snmpPort: 161, ipv4: simAddress(base) });
  t.truthy(h.appliance.registry.get(serials[0])!.foundBy.announcement);

  const quiet = simulate(t, ['--silent', '--count', '3', '--first-index', String(base + 5)]);
  await waitFor(() => quiet.out().includes('Ctrl-C stops the printers'), 30_000, 100);
  t.regex(quiet.out(), /silent: they never announce/);
  await new Promise((r) => setTimeout(r, 300));
  t.falsy(h.appliance.registry.get(`LAB0${base + 5}`), 'silent printers did not announce');
  const range = `${simAddress(base + 5)}-${simAddress(base + 7)}`;
  const r = await api(web, 'POST', '/api/v1/discovery', { token, body: { targets: [range] } });
  t.is(r.status, 202, JSON.stringify(r.body));
  const task = await waitFor(async () => { const x = (await api(web, 'GET', `/api/v1/tasks/${r.body.taskId}`, { token })).body; return x.state === 'done' ? x : undefined; }, 20_000, 100);
  t.like(task.progress, { found: 3, new: 3 });
  t.deepEqual([...task.serials].sort(), [`LAB0${base + 5}`, `LAB0${base + 6}`, `LAB0${base + 7}`]);
  t.true(Object.keys(task.outcomes).every((s) => !s.startsWith('SIM')));

  quiet.child.kill('SIGTERM');
  t.is(await quiet.exited, 0, 'Ctrl-C / SIGTERM stops the printers and exits 0');
});

test('simulate refuses what it cannot do, by flag', async (t) => {
  for (const [args, message] of [[['--silent', '--once'], /choose one/], [['--count', '2'], /or --silent/], [['--silent', '--serial-prefix', 'bad prefix'], /--serial-prefix/],
    [['--silent', '--snmp-port', '70000'], /--snmp-port/]] as const) {
    const s = simulate(t, [...args]);
    t.is(await s.exited, 2, args.join(' '));
    t.regex(s.out(), message);
  }
});

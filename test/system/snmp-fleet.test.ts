// 1,000 simulated printers in one process: start time and memory, and the batched adapter securing all
// of them in 3 round trips each. Numbers are logged (t.log) for docs/benchmarks.md.
import test from 'ava';
import { CATALOG } from '../../appliance/src/policy/catalog.ts';
import { startSimAgents } from '../../appliance/src/sim/snmp-agent.ts';
import { assessAndRemediate } from '../../appliance/src/snmp/assessor.ts';
import { silentLogger } from '../../appliance/src/util/log.ts';

// Each printer serves ~90 objects of its own MIB since issue 18 (16 before); net-snmp keeps a node with its full
// OID per arc, so an agent costs ~300–450 KB (was < 200 KB).
test('1,000 agents start in seconds with < 500 KB each, and all end compliant after GET, SET, GET', async (t) => {
  global.gc?.();
  const rss0 = process.memoryUsage().rss;
  const started = performance.now();
  const agents = await startSimAgents(1000, { subnet: 200 + Math.floor(Math.random() * 50), delayMs: 5 });
  t.teardown(() => Promise.all(agents.map((a) => a.stop())).then(() => undefined));
  const startMs = performance.now() - started;
  const perAgentKb = (process.memoryUsage().rss - rss0) / 1024 / agents.length;
  t.log(`start: ${startMs.toFixed(0)} ms for 1000 agents, ~${perAgentKb.toFixed(0)} KB RSS each`);
  t.true(startMs < 15_000);
  t.true(perAgentKb < 500);

  // Every catalog setting but the secrets, 8 of them wrong on a factory-fresh printer (the benchmark's shape).
  const settings = Object.fromEntries(CATALOG.filter((d) => d.valueType !== 'secret').map((d) => [d.id, d.factoryDefault!]));
  for (const id of ['telnet', 'slp', 'lpd', 'syslog', 'bonjour', 'llmnr', 'airfax']) settings[id] = false;
  settings.ftp = 'off';
  const policy = { name: 'fleet', settings };
  const log = silentLogger();
  const statuses = new Map<string, number>();
  let next = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: 200 }, async () => {
      while (next < agents.length) {
        const a = agents[next++];
        const r = await assessAndRemediate({ host: a.address, port: a.port, credentials: { default: { version: '2c', readCommunity: 'public', writeCommunity: 'private' } }, policy, remediate: true, timeoutMs: 2000 }, log);
        const key = `${r.status}/${r.roundTrips}/${r.settings.filter((s) => s.changed).length}`;
        statuses.set(key, (statuses.get(key) ?? 0) + 1);
      }
    }),
  );
  t.log(`remediate: ${(performance.now() - t0).toFixed(0)} ms for 1000 devices at 200 in flight (5 ms agent delay)`);
  t.deepEqual([...statuses], [['remediated/3/8', 1000]]);
  t.true(agents.every((a) => a.values().telnet === false && a.values()['raw-9100'] === true));
});

// Issue 14, second "must show" (as a test; scripts/bench/discovery.ts measures it): 200 silent simulated
// printers (real SNMP agents that never announce) on port 161 of their own addresses in a /22, with 10 ms
// SNMP delay, are swept, qualified and remediated with a policy. Also: a sweep is cancelled, and a schedule
// runs sweeps until it is cancelled.
import test from 'ava';
import { startTestAppliance, api, login, waitFor } from '../fakes/appliance.ts';
import { Fleet } from '../../appliance/src/sim/fleet.ts';

const isRoot = process.getuid?.() === 0;
const noTarget = async () => { throw new Error('silent printers never announce'); };

/** A /22 of its own on loopback: 127.<S>.<4k>.0/22. */
function block22() {
  const s = 100 + Math.floor(Math.random() * 100);
  const third = 4 * Math.floor(Math.random() * 64);
  return { cidr: `127.${s}.${third}.0/22`, at: (i: number) => `127.${s}.${third + Math.floor(i / 250)}.${1 + (i % 250)}` };
}

async function appliance(t: any, env: Record<string, string> = {}) {
  const h = await startTestAppliance({ env: { INSTANT_ON_DISCOVERY_TIMEOUT_MS: '800', INSTANT_ON_DISCOVERY_RETRIES: '1', INSTANT_ON_DISCOVERY_CONCURRENCY: '256',
    INSTANT_ON_DISCOVERY_RATE: '2000', INSTANT_ON_SNMP_TIMEOUT_MS: '1000', ...env } });
  t.teardown(() => h.stop());
  const web = h.appliance.webPort;
  const token = await login(web);
  await api(web, 'PUT', '/api/v1/credentials/default', { token, body: { version: '2c', readCommunity: 'public', writeCommunity: 'private' } });
  return { h, web, token };
}

const taskDone = (web: number, token: string, id: string, ms = 60_000) =>
  waitFor(async () => { const x = (await api(web, 'GET', `/api/v1/tasks/${id}`, { token })).body; return x.state !== 'queued' && x.state !== 'running' ? x : undefined; }, ms, 200);

test('200 silent printers in a /22 (10 ms SNMP delay): swept, qualified, remediated with a policy', async (t) => {
  if (!isRoot) { t.fail('port 161 needs root (CI runs the tests as root)'); return; }
  const b = block22();
  const fleet = new Fleet({ count: 200, serialPrefix: 'SIL', firstIndex: 7000, address: b.at, resolveTarget: noTarget });
  t.teardown(() => fleet.stop());
  await fleet.startAgents({ port: 161, delayMs: 10 });
  const { h, web, token } = await appliance(t);
  const policyId = (await api(web, 'POST', '/api/v1/policies', { token, body: { name: 'silent', settings: { telnet: false, ftp: 'off', 'sys-location': 'Branch 9' } } })).body.id;

  const started = Date.now();
  const r = await api(web, 'POST', '/api/v1/discovery', { token, body: { targets: [b.cidr], assess: { policyId, remediate: true } } });
  t.is(r.status, 202);
  t.is(r.body.addresses, 1022);
  const sweep = await taskDone(web, token, r.body.taskId);
  t.log(`sweep of 1,022 addresses: ${Date.now() - started} ms, ${sweep.progress.packets} datagrams`);
  t.like(sweep, { state: 'done', done: 1022, total: 1022, progress: { found: 200, new: 200, noAnswer: 822, notPrinter: 0, unidentified: 0, errors: 0 } });
  t.is(h.appliance.registry.size, 200);
  const p0 = fleet.printers[0];
  t.like(h.appliance.registry.get(p0.serialNumber), { model: p0.model, macAddress: p0.macAddress, hostname: p0.hostname, firmware: p0.firmware, ipv4: p0.address,
    vendor: 'hp', discoveredBy: 'auto-discovered', announceCount: 0 });

  const assessmentId = sweep.result.assessmentTaskId;
  t.truthy(assessmentId, 'the new printers were handed to an assessment');
  const assessment = await taskDone(web, token, assessmentId);
  t.is(assessment.state, 'done');
  t.is(assessment.trigger, `discovery:${r.body.taskId}`);
  const statuses = fleet.printers.map((p) => h.appliance.registry.get(p.serialNumber)?.compliance?.status);
  t.deepEqual([...new Set(statuses)], ['remediated']);
  t.true(fleet.printers.every((p) => p.agent!.values().telnet === false && p.agent!.values()['sys-location'] === 'Branch 9'), 'every agent holds the policy');
  t.log(`swept + remediated: ${Date.now() - started} ms`);
});

test('a sweep is cancelled mid-way; a schedule sweeps until it is cancelled', async (t) => {
  if (!isRoot) { t.fail('port 161 needs root (CI runs the tests as root)'); return; }
  const b = block22();
  const fleet = new Fleet({ count: 2, serialPrefix: 'SCH', firstIndex: 7400, address: b.at, resolveTarget: noTarget });
  t.teardown(() => fleet.stop());
  await fleet.startAgents({ port: 161 });
  const { h, web, token } = await appliance(t, { INSTANT_ON_DISCOVERY_RATE: '50', INSTANT_ON_DISCOVERY_CONCURRENCY: '8', INSTANT_ON_SCHEDULE_MIN_INTERVAL: '1' });

  const r = await api(web, 'POST', '/api/v1/discovery', { token, body: { targets: [b.cidr] } });
  await waitFor(() => (h.appliance.tasks.get(r.body.taskId)?.progress?.done ?? 0) >= 20, 20_000);
  t.is((await api(web, 'DELETE', `/api/v1/tasks/${r.body.taskId}`, { token })).status, 200);
  const cancelled = await taskDone(web, token, r.body.taskId);
  t.is(cancelled.state, 'cancelled');
  const doneAt = cancelled.done;
  await new Promise((res) => setTimeout(res, 1500));
  const after = (await api(web, 'GET', `/api/v1/tasks/${r.body.taskId}`, { token })).body;
  t.true(after.done < 1022 && after.done - doneAt <= 8, `stopped at ${after.done} of 1022 (in flight when cancelled: at most 8 more)`);

  // A schedule every 3 s over the two printers' addresses: each run is a discovery task naming the schedule.
  const targets = [`${fleet.printers[0].address}/32`, `${fleet.printers[1].address}`];
  const s = await api(web, 'POST', '/api/v1/discovery/schedules', { token, body: { name: 'lab sweep', kind: 'every', every: '0:0:0:3', targets } });
  t.is(s.status, 201, JSON.stringify(s.body));
  t.like(s.body, { action: { type: 'discovery', targets, snmpPort: 161 } });
  const listed = (await api(web, 'GET', '/api/v1/discovery/schedules', { token })).body.schedules;
  t.deepEqual(listed.map((x: any) => x.id), [s.body.id]);
  const runs = () => h.appliance.tasks.list({ type: 'discovery' }).filter((x) => x.trigger === `schedule:${s.body.id}`);
  await waitFor(() => runs().length >= 2 && runs().every((x) => x.state === 'done'), 20_000, 100);
  // The cancelled sweep had already found both (the first addresses of its /22); each run finds them again.
  t.like(cancelled.progress, { found: 2, new: 2 });
  for (const x of runs()) t.like(x.progress, { total: 2, found: 2, new: 0, unchanged: 2 });
  for (const p of fleet.printers) t.truthy(h.appliance.registry.get(p.serialNumber)!.foundBy.discovery, 'a scheduled sweep records "discovery", even for single addresses');
  t.is((await api(web, 'DELETE', `/api/v1/discovery/schedules/${s.body.id}`, { token })).status, 200);
  const count = runs().length;
  await new Promise((res) => setTimeout(res, 4000));
  t.is(runs().length, count, 'no run after the schedule was cancelled');
});

// Task engine behaviour against real simulated printers: schedules, coalescing under a flood, flags.
import test from 'ava';
import { startTestAppliance, api, login, waitFor } from '../fakes/appliance.ts';
import { Fleet } from '../../appliance/src/sim/fleet.ts';

async function setup(t: any, count: number, firstIndex: number) {
  const h = await startTestAppliance({ env: { INSTANT_ON_SNMP_TIMEOUT_MS: '1000', INSTANT_ON_SCHEDULE_MIN_INTERVAL: '1' } });
  const fleet = new Fleet({ count, firstIndex, serialPrefix: 'TSK', resolveTarget: async () => ({ host: '127.0.0.1', port: h.appliance.announcePort }) });
  await fleet.startAgents({ port: 0 });
  t.teardown(async () => { await fleet.stop(); await h.stop(); });
  const web = h.appliance.webPort;
  const token = await login(web);
  await api(web, 'PUT', '/api/v1/credentials/default', { token, body: { version: '2c', readCommunity: 'public', writeCommunity: 'private' } });
  const policyId = (await api(web, 'POST', '/api/v1/policies', { token, body: { name: 'p', settings: { telnet: false, 'sys-contact': 'it@branch' } } })).body.id;
  return { h, fleet, web, token, policyId };
}

test('a schedule 0:0:0:5 runs an assessment every 5 s; cancel stops it', async (t) => {
  const { h, fleet, web, token, policyId } = await setup(t, 2, 5100);
  await fleet.announceAll('initial-boot');
  const bad = await api(web, 'POST', '/api/v1/tasks', { token, body: { policyId, schedule: { kind: 'every', every: '0:0:0:0' } } });
  t.is(bad.status, 400);
  const past = await api(web, 'POST', '/api/v1/tasks', { token, body: { policyId, schedule: { kind: 'once', startAt: '2020-01-01T00:00:00Z' } } });
  t.is(past.status, 400);
  t.is(past.body.error.details[0].field, 'startAt');
  const r = await api(web, 'POST', '/api/v1/tasks', { token, body: { policyId, remediate: true, schedule: { kind: 'every', every: '0:0:0:5' } } });
  t.is(r.status, 201);
  const started = Date.now();
  await waitFor(() => h.appliance.tasks.list({ type: 'assessment' }).length >= 2, 12_000);
  const elapsed = Date.now() - started;
  t.true(elapsed >= 4000 && elapsed < 8000, `second run after ${elapsed} ms`);
  const runs = h.appliance.tasks.list({ type: 'assessment' });
  t.true(runs.every((x) => x.trigger === `schedule:${r.body.scheduleId}`));
  await waitFor(() => h.appliance.tasks.get(runs[0].id)?.state === 'done');
  t.deepEqual(Object.values(h.appliance.tasks.get(runs[runs.length - 1].id)!.outcomes).map((o) => o.status), ['remediated', 'remediated']);
  t.is((await api(web, 'DELETE', `/api/v1/tasks/${r.body.scheduleId}`, { token })).status, 200);
  const count = h.appliance.tasks.list({ type: 'assessment' }).length;
  await new Promise((res) => setTimeout(res, 6000));
  t.is(h.appliance.tasks.list({ type: 'assessment' }).length, count, 'no run after cancel');
});

test('a flapping printer coalesces into one task at a time, is flagged, and does not hold up the others', async (t) => {
  const { h, fleet, web, token, policyId } = await setup(t, 41, 5200);
  await api(web, 'PUT', '/api/v1/instant-on', { token, body: { allowAutomaticRemediation: true, initialPolicyId: policyId } });
  const [flapper, ...others] = fleet.printers;
  // The flapper's agent answers slowly (300 ms a reply, ≥ 3 replies a task), so its task is still pending
  // while it announces again and again: coalescing is then certain, not a race with a fast agent.
  await flapper.agent!.stop();
  await flapper.startAgent({ port: 0, delayMs: 300 });
  let maxActive = 0;
  const onTask = () => {
    const active = h.appliance.tasks.list({ type: 'instant-on', state: 'active' }).filter((x) => x.serials[0] === flapper.serialNumber).length;
    maxActive = Math.max(maxActive, active);
  };
  h.appliance.tasks.on('task', onTask);
  const flood = (async () => { for (let i = 0; i < 60; i++) await flapper.powerCycle(); })();
  await Promise.all(others.map((p) => p.boot()));
  await flood;
  await waitFor(() => others.every((p) => h.appliance.registry.get(p.serialNumber)?.compliance?.status === 'remediated'), 20_000);
  await waitFor(() => h.appliance.tasks.list({ state: 'active' }).length === 0, 20_000);
  t.is(maxActive, 1, 'never more than one pending task for the flapping printer');
  const flapperTasks = h.appliance.tasks.list({ type: 'instant-on' }).filter((x) => x.serials[0] === flapper.serialNumber);
  t.true(flapperTasks.length < 60, `${flapperTasks.length} tasks for 60 announcements`);
  const dev = (await api(web, 'GET', `/api/v1/devices/${flapper.serialNumber}`, { token })).body;
  t.like(dev.announcing, { lastHour: 60, tooOften: true });
  t.is(dev.compliance.status === 'remediated' || dev.compliance.status === 'compliant', true);
});

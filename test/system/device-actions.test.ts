// Devices retire (issue 16 §7) against a running appliance and simulated printers: delete one (its history,
// credential override and journal go with it; announcing again makes it new), retire and reinstate, bulk
// assess skipping retired devices, bulk delete, bad input named.
import test from 'ava';
import { startTestAppliance, api, login, waitFor } from '../fakes/appliance.ts';
import { Fleet } from '../../appliance/src/sim/fleet.ts';

test('delete, retire, reinstate and bulk actions', async (t) => {
  const h = await startTestAppliance({ env: { INSTANT_ON_SNMP_TIMEOUT_MS: '1000' } });
  const fleet = new Fleet({ count: 5, serialPrefix: 'RET', firstIndex: 7400, resolveTarget: async () => ({ host: '127.0.0.1', port: h.appliance.announcePort }) });
  await fleet.startAgents({ port: 0 });
  t.teardown(async () => { await fleet.stop(); await h.stop(); });
  const port = h.appliance.webPort;
  const token = await login(port);
  await api(port, 'PUT', '/api/v1/credentials/default', { token, body: { version: '2c', readCommunity: 'public', writeCommunity: 'private' } });
  const policyId = (await api(port, 'POST', '/api/v1/policies', { token, body: { name: 'p', settings: { telnet: false } } })).body.id;
  await fleet.announceAll('initial-boot');
  const [a, b, c, d, e] = fleet.printers.map((p) => p.serialNumber);
  await api(port, 'PUT', `/api/v1/devices/${a}/credentials`, { token, body: { version: '2c', readCommunity: 'public', writeCommunity: 'private' } });
  const first = await api(port, 'POST', '/api/v1/devices/bulk', { token, body: { action: 'remediate', policyId, serials: [a, b, c, d, e] } });
  await waitFor(() => h.appliance.tasks.get(first.body.taskId)?.state === 'done', 20_000);
  t.is((await api(port, 'GET', `/api/v1/reports/compliance`, { token })).body.policies[0].devices.length, 5);

  // Delete one: gone with its history, credential override and journal.
  const del = await api(port, 'DELETE', `/api/v1/devices/${a}`, { token });
  t.is(del.status, 200);
  t.is((await api(port, 'GET', `/api/v1/devices/${a}`, { token })).status, 404);
  t.deepEqual(await h.appliance.store.sub('history').keys({ gte: `${a}!`, lt: `${a}!~` }).all(), []);
  t.is(await h.appliance.store.get('credentials', `device!${a}`), undefined);
  const report = (await api(port, 'GET', `/api/v1/reports/compliance`, { token })).body;
  t.false(JSON.stringify(report).includes(a), 'the deleted device is not in reports');
  t.is((await api(port, 'DELETE', `/api/v1/devices/${a}`, { token })).status, 404);
  const audit = await api(port, 'GET', '/api/v1/audit?action=device.delete', { token });
  t.is(audit.body.entries[0].before.serialNumber, a);
  // It announces again: a new device, with a fresh history.
  await fleet.printers[0].powerCycle();
  const back = (await api(port, 'GET', `/api/v1/devices/${a}`, { token })).body;
  t.deepEqual(back.history.map((x: any) => x.kind), ['discovered']);

  // Retire one: out of fleet counts and bulk runs, kept with its history; announcing again reinstates it.
  t.is((await api(port, 'PUT', `/api/v1/devices/${b}/retired`, { token, body: { retired: 'yes' } })).body.error.details[0].field, 'retired');
  const ret = await api(port, 'PUT', `/api/v1/devices/${b}/retired`, { token, body: { retired: true, note: 'sold' } });
  t.is(ret.status, 200);
  t.like(ret.body.retired, { by: 'admin', note: 'sold' });
  const bulk = await api(port, 'POST', '/api/v1/devices/bulk', { token, body: { action: 'assess', policyId, serials: [b, c, 'NOPE1'] } });
  t.deepEqual(bulk.body.done, [c]);
  t.deepEqual(bulk.body.skipped, { [b]: 'retired', NOPE1: 'not found' });
  t.deepEqual(h.appliance.tasks.get(bulk.body.taskId)!.serials, [c]);
  const trend = (await api(port, 'GET', '/api/v1/stats/history', { token })).body.points.at(-1);
  t.is(trend.devices, 4, 'a retired device is not counted in the fleet');
  await fleet.printers[1].powerCycle();
  const again = (await api(port, 'GET', `/api/v1/devices/${b}`, { token })).body;
  t.is(again.retired, undefined);
  t.deepEqual(again.history.slice(0, 3).map((x: any) => x.kind).sort(), ['announcement', 'reinstated', 'retired'].sort());

  // Bulk retire / reinstate / delete, and bad input.
  t.deepEqual((await api(port, 'POST', '/api/v1/devices/bulk', { token, body: { action: 'retire', serials: [c, d] } })).body.done, [c, d]);
  t.deepEqual((await api(port, 'POST', '/api/v1/devices/bulk', { token, body: { action: 'reinstate', serials: [c] } })).body.done, [c]);
  const gone = await api(port, 'POST', '/api/v1/devices/bulk', { token, body: { action: 'delete', serials: [d, e] } });
  t.deepEqual(gone.body.done.sort(), [d, e].sort());
  t.is(h.appliance.registry.size, 3);
  const bad = await api(port, 'POST', '/api/v1/devices/bulk', { token, body: { action: 'assess', serials: [c] } });
  t.is(bad.status, 400);
  t.is(bad.body.error.details[0].field, 'policyId');
  t.is((await api(port, 'POST', '/api/v1/devices/bulk', { token, body: { action: 'explode', serials: [c] } })).body.error.details[0].field, 'action');
  t.is((await api(port, 'POST', '/api/v1/devices/bulk', { token, body: { action: 'delete', serials: ['bad serial!'] } })).body.error.details[0].field, 'serials.0');
  const grp = await api(port, 'POST', '/api/v1/devices/bulk', { token, body: { action: 'add-to-group', groupId: 'g', serials: [c] } });
  t.is(grp.status, 400);
  t.is(grp.body.error.details[0].field, 'groupId');
  // Add to a manual group; an autogroup's members come from its filter and are refused.
  const manual = await api(port, 'POST', '/api/v1/groups', { token, body: { name: 'Floor 2', kind: 'manual', members: [b], priority: 10 } });
  t.is(manual.status, 201, JSON.stringify(manual.body));
  const added = await api(port, 'POST', '/api/v1/devices/bulk', { token, body: { action: 'add-to-group', groupId: manual.body.id, serials: [c, 'NOPE2'] } });
  t.deepEqual(added.body, { action: 'add-to-group', done: [c], skipped: { NOPE2: 'not found' } });
  t.deepEqual(h.appliance.services.groups!.groups.get(manual.body.id)!.members!.sort(), [b, c].sort());
  const auto = await api(port, 'POST', '/api/v1/groups', { token, body: { name: 'HP', kind: 'auto', filter: { all: [{ field: 'model', op: 'contains', value: 'HP' }] }, priority: 20 } });
  t.is(auto.status, 201, JSON.stringify(auto.body));
  const refused = await api(port, 'POST', '/api/v1/devices/bulk', { token, body: { action: 'add-to-group', groupId: auto.body.id, serials: [c] } });
  t.is(refused.body.error.code, 'group-not-manual');
});

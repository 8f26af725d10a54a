// Stored history (issue 16 §6): the dashboard's announcement chart and compliance trend come from hourly
// records on disk, so they read the same after a restart; rejected announcements are counted by reason.
import test from 'ava';
import { startTestAppliance, api, login, waitFor } from '../fakes/appliance.ts';
import { Fleet } from '../../appliance/src/sim/fleet.ts';

test('announcement chart and compliance trend survive a restart', async (t) => {
  const h = await startTestAppliance({ env: { INSTANT_ON_SNMP_TIMEOUT_MS: '1000' } });
  let h2: Awaited<ReturnType<typeof startTestAppliance>> | undefined;
  const fleet = new Fleet({ count: 6, serialPrefix: 'HIS', firstIndex: 7100, resolveTarget: async () => ({ host: '127.0.0.1', port: (h2 ?? h).appliance.announcePort }) });
  await fleet.startAgents({ port: 0 });
  t.teardown(async () => { await fleet.stop(); await h2?.stop(); await h.stop(); });
  const port = h.appliance.webPort;
  const token = await login(port);
  await api(port, 'PUT', '/api/v1/credentials/default', { token, body: { version: '2c', readCommunity: 'public', writeCommunity: 'private' } });
  const policyId = (await api(port, 'POST', '/api/v1/policies', { token, body: { name: 'baseline', settings: { telnet: false } } })).body.id;
  await api(port, 'PUT', '/api/v1/instant-on', { token, body: { allowAutomaticRemediation: true, initialPolicyId: policyId } });

  // Four printers boot and are remediated; then the serial list refuses two unlisted ones.
  await Promise.all(fleet.printers.slice(0, 4).map((p) => p.boot()));
  await waitFor(() => fleet.printers.slice(0, 4).every((p) => h.appliance.registry.get(p.serialNumber)?.compliance?.status === 'remediated'), 20_000);
  await api(port, 'PUT', '/api/v1/instant-on', { token, body: { useSerialList: true } });
  await Promise.all(fleet.printers.slice(4).map((p) => p.boot()));

  const chart = (await api(port, 'GET', '/api/v1/stats/announcements', { token })).body;
  t.is(chart.hours.length, 24);
  const thisHour = chart.hours.at(-1);
  t.is(thisHour.count, 4);
  t.is(thisHour.rejected, 2);
  const trend = (await api(port, 'GET', '/api/v1/stats/history?step=day', { token })).body;
  t.is(trend.points.length, 30);
  t.deepEqual(trend.points.at(-1).compliance, { remediated: 4 });
  t.deepEqual(trend.points.at(-1).rejectedBy, { 'serial-not-listed': 2 });
  t.true(trend.points.slice(0, -2).every((p: any) => p.compliance === null && p.accepted === 0), 'days before the first start are empty');

  // Restart: nothing is held in memory across it.
  await h.appliance.stop(500);
  h2 = await startTestAppliance({ dataDir: h.dataDir, env: { INSTANT_ON_SNMP_TIMEOUT_MS: '1000' } });
  const port2 = h2.appliance.webPort;
  const token2 = await login(port2);
  const after = (await api(port2, 'GET', '/api/v1/stats/announcements', { token: token2 })).body;
  t.deepEqual(after.hours.map((x: any) => [x.start, x.count, x.rejected]), chart.hours.map((x: any) => [x.start, x.count, x.rejected]));
  const trendAfter = (await api(port2, 'GET', '/api/v1/stats/history?step=day', { token: token2 })).body;
  t.deepEqual(trendAfter.points.at(-1).compliance, { remediated: 4 });

  // And it goes on counting in the same hour after the restart.
  await api(port2, 'PUT', '/api/v1/instant-on', { token: token2, body: { useSerialList: false } });
  await fleet.printers[0].powerCycle();
  const more = (await api(port2, 'GET', '/api/v1/stats/announcements', { token: token2 })).body;
  t.is(more.hours.at(-1).count, 5);

  // Bad queries are 400s naming the field.
  const bad = await api(port2, 'GET', '/api/v1/stats/history?from=yesterday', { token: token2 });
  t.is(bad.status, 400);
  t.is(bad.body.error.details[0].field, 'from');
  const long = await api(port2, 'GET', `/api/v1/stats/history?step=hour&from=${new Date(Date.now() - 90 * 86400_000).toISOString()}`, { token: token2 });
  t.is(long.status, 400);
});

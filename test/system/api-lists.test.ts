// Server-side lists (issue 17 §1) through the real API, with the contract check on: devices, tasks and the
// audit log answer one page at a time with totals; every page follows from the last by its cursor; bad
// parameters are a 400 naming the parameter. Cancel all of a kind (§2) answers the counts as they are.
import test from 'ava';
import { startTestAppliance, api, login, waitFor } from '../fakes/appliance.ts';
import { sampleAnnouncement } from '../fakes/hdap-raw-client.ts';
import { createSocket } from 'node:dgram';
import { announcementSchema } from '../../appliance/src/protocol/messages.ts';

async function withDevices(n: number) {
  const h = await startTestAppliance({ cli: { snmpTimeoutMs: 3000, snmpRetries: 0 } });
  // An SNMP "agent" that takes every request and never answers: assessments wait for their timeouts.
  const sink = createSocket('udp4');
  await new Promise<void>((r) => sink.bind(0, '127.0.0.1', () => r()));
  const closed = sink.address().port;
  const stop = h.stop.bind(h);
  h.stop = async (keep?: boolean) => { sink.close(); await stop(keep); };
  await h.appliance.services.credentials.setDefault({ version: '2c', readCommunity: 'lists-read', writeCommunity: 'lists-write' } as never);
  for (let i = 0; i < n; i++) {
    const serial = `LIST${String(i).padStart(5, '0')}`;
    const ann = sampleAnnouncement(serial, {});
    ann.device = { ...ann.device, ipv4: '127.0.0.1', snmpPort: closed, hostname: `npi-${i}`, model: i % 2 ? 'HP LaserJet M40' : 'HP Color LaserJet M480' };
    await h.appliance.registry.record(announcementSchema.parse(ann), { address: '127.0.0.1', authMethod: 'anonymous' });
  }
  return h;
}

test('devices: pages of the asked size with totals, every device once across the cursors, search and filters by the server', async (t) => {
  const h = await withDevices(250);
  t.teardown(() => h.stop());
  const web = h.appliance.webPort;
  const token = await login(web);
  const first = await api(web, 'GET', '/api/v1/devices?limit=50', { token });
  t.is(first.status, 200, JSON.stringify(first.body).slice(0, 300));
  t.is(first.body.devices.length, 50);
  t.like(first.body, { total: 250, matched: 250 });
  t.truthy(first.body.nextCursor);
  t.true(first.body.devices.every((d: any, i: number, a: any[]) => i === 0 || a[i - 1].lastSeen >= d.lastSeen), 'newest first by default');
  t.is(first.body.counts, undefined, 'counts only when asked');

  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const r: any = await api(web, 'GET', `/api/v1/devices?limit=64&sort=serial${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { token });
    t.is(r.status, 200);
    seen.push(...r.body.devices.map((d: any) => d.serialNumber));
    cursor = r.body.nextCursor;
  } while (cursor);
  t.is(seen.length, 250);
  t.deepEqual(seen, [...seen].sort(), 'in serial order');
  t.is(new Set(seen).size, 250);

  const one = await api(web, 'GET', '/api/v1/devices?q=list00137', { token });
  t.deepEqual(one.body.devices.map((d: any) => d.serialNumber), ['LIST00137']);
  t.like(one.body, { total: 250, matched: 1, nextCursor: null });
  const color = await api(web, 'GET', '/api/v1/devices?q=color&limit=10&compliance=not-assessed&counts=1', { token });
  t.is(color.body.matched, 125);
  t.like(color.body.counts, { fleet: 250, retired: 0, compliance: { 'not-assessed': 250 }, foundBy: { announcement: 250 } });
  t.is((await api(web, 'GET', '/api/v1/devices', { token })).body.devices.length, 100, 'without a limit: 100');

  for (const [q, field] of [['sort=colour', 'sort'], ['limit=5000', 'limit'], ['cursor=bm90LWEtY3Vyc29y', 'cursor'], ['compliance=green', 'compliance'], ['pagesize=9', '(query)']]) {
    const r = await api(web, 'GET', `/api/v1/devices?${q}`, { token });
    t.is(r.status, 400, q);
    t.true(JSON.stringify(r.body.error.details).includes(field), `${q}: ${JSON.stringify(r.body)}`);
  }
  const other = await api(web, 'GET', `/api/v1/devices?sort=model&cursor=${encodeURIComponent(first.body.nextCursor)}`, { token });
  t.is(other.status, 400);
  t.is(other.body.error.code, 'invalid-cursor');

  // A list item sums up the last assessment; the settings themselves are on the device's own page.
  const d = first.body.devices[0];
  t.false('settings' in (d.compliance ?? {}));
  t.true(Array.isArray(d.groups));
});

test('tasks: counts by state from the server, pages by cursor, cancel all of a kind', async (t) => {
  const h = await withDevices(120);
  t.teardown(() => h.stop());
  const web = h.appliance.webPort;
  const token = await login(web);
  const policyId = (await api(web, 'POST', '/api/v1/policies', { token, body: { name: 'lists', settings: { telnet: false } } })).body.id;
  const started: string[] = [];
  for (let i = 0; i < 3; i++) started.push((await api(web, 'POST', '/api/v1/tasks', { token, body: { policyId } })).body.taskId);
  const list = await api(web, 'GET', '/api/v1/tasks?level=top&state=active', { token });
  t.is(list.status, 200, JSON.stringify(list.body).slice(0, 400));
  t.deepEqual(list.body.tasks.map((x: any) => x.id).sort(), [...started].sort());
  const parent = list.body.tasks[0];
  t.is(parent.triggerLabel, 'Manual');
  t.is(parent.total, 120);
  t.is(Object.values(parent.children).reduce((a: number, b) => a + (b as number), 0), parent.childIds.length);
  t.is(list.body.stats.byType.assessment.queued + list.body.stats.byType.assessment.running, 3);

  const pageOne = await api(web, 'GET', '/api/v1/tasks?limit=4', { token });
  const pageTwo = await api(web, 'GET', `/api/v1/tasks?limit=4&cursor=${pageOne.body.nextCursor}`, { token });
  t.is(pageOne.body.matched, pageOne.body.total);
  const ids = [...pageOne.body.tasks, ...pageTwo.body.tasks].map((x: any) => x.id);
  t.is(new Set(ids).size, 8);
  t.deepEqual(ids, [...ids].sort().reverse(), 'newest first, continued');

  const bad = await api(web, 'POST', '/api/v1/tasks/cancel', { token, body: { type: 'everything' } });
  t.is(bad.status, 400);
  t.is(bad.body.error.details[0].field, 'type');
  const cancelled = await api(web, 'POST', '/api/v1/tasks/cancel', { token, body: { type: 'assessment' } });
  t.is(cancelled.status, 200, JSON.stringify(cancelled.body));
  t.true(cancelled.body.cancelled >= 3);
  t.is(cancelled.body.stats.byType.assessment.queued + cancelled.body.stats.byType.assessment.running, 0);
  await waitFor(() => h.appliance.tasks.stats().devicesInFlight === 0, 30_000);
  const after = await api(web, 'GET', '/api/v1/tasks?level=top&type=assessment', { token });
  t.true(after.body.tasks.every((x: any) => x.state === 'cancelled'), JSON.stringify(after.body.tasks.map((x: any) => x.state)));
  t.is((await api(web, 'GET', '/api/v1/tasks?state=active', { token })).body.matched, 0);
});

test('audit: newest first with totals, paged by cursor, failed requests on their own', async (t) => {
  const h = await startTestAppliance();
  t.teardown(() => h.stop());
  const web = h.appliance.webPort;
  const token = await login(web);
  for (let i = 0; i < 25; i++) await api(web, 'PUT', '/api/v1/settings', { token, body: { announceTooOftenPerHour: 20 + i } });
  t.is((await api(web, 'POST', '/api/v1/login', { body: { username: 'admin', password: 'wrong-password' } })).status, 401);
  const first = await api(web, 'GET', '/api/v1/audit?limit=10', { token });
  t.is(first.status, 200, JSON.stringify(first.body).slice(0, 300));
  t.is(first.body.entries.length, 10);
  t.true(first.body.total >= 26);
  const second = await api(web, 'GET', `/api/v1/audit?limit=10&cursor=${encodeURIComponent(first.body.nextCursor)}`, { token });
  const ids = [...first.body.entries, ...second.body.entries].map((e: any) => e.id);
  t.is(new Set(ids).size, 20);
  t.deepEqual(ids, [...ids].sort().reverse());
  const failed = await api(web, 'GET', '/api/v1/audit?outcome=failed', { token });
  t.is(failed.body.matched, 1);
  t.is(failed.body.entries[0].action, 'login-failed');
  const search = await api(web, 'GET', '/api/v1/audit?q=settings.change&limit=5', { token });
  t.is(search.body.matched, 25);
  t.is((await api(web, 'GET', '/api/v1/audit?limit=0', { token })).status, 400);
});

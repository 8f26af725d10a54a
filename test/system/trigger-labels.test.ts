// Honest labels (issue 17 §7): a task and a device's assessment history say why the assessment ran — the
// announcement's reason for Instant-On, "Manual", a schedule by its name — not the device's last announcement
// reason for every run (a manual run used to read "(initial-boot)").
import test from 'ava';
import { startTestAppliance, api, login, waitFor } from '../fakes/appliance.ts';
import { frameBytes, sampleAnnouncement, sendRaw } from '../fakes/hdap-raw-client.ts';

test('history and tasks name the trigger: Instant-On with its reason, Manual, the schedule by name', async (t) => {
  const h = await startTestAppliance({ cli: { scheduleMinIntervalSeconds: 1, snmpTimeoutMs: 200, snmpRetries: 0 } });
  t.teardown(() => h.stop());
  const web = h.appliance.webPort;
  const token = await login(web);
  const serial = 'LABEL0001';
  const policyId = (await api(web, 'POST', '/api/v1/policies', { token, body: { name: 'Labels', settings: { telnet: false } } })).body.id;
  t.is((await api(web, 'PUT', '/api/v1/instant-on', { token, body: { allowAutomaticRemediation: true, initialPolicyId: policyId } })).status, 200);
  const ann = sampleAnnouncement(serial, { reason: 'power-cycle' });
  ann.device = { ...ann.device, ipv4: '127.0.0.1', snmpPort: 9 };
  t.is((await sendRaw(h.appliance.announcePort, frameBytes(ann))).acks[0]?.status, 'accepted');
  const history = async () => (await api(web, 'GET', `/api/v1/devices/${serial}`, { token })).body.history.filter((e: { kind: string }) => e.kind === 'assessment');
  await waitFor(async () => (await history()).length === 1, 20_000);

  const manual = (await api(web, 'POST', `/api/v1/devices/${serial}/assess`, { token, body: { policyId } })).body.taskId;
  await waitFor(async () => (await history()).length === 2, 20_000);
  const sch = await api(web, 'POST', '/api/v1/tasks', { token, body: { policyId, name: 'Nightly labels', serials: [serial], schedule: { kind: 'once', startAt: new Date(Date.now() + 1500).toISOString() } } });
  t.is(sch.status, 201, JSON.stringify(sch.body));
  await waitFor(async () => (await history()).length === 3, 20_000);

  const labels = (await history()).map((e: { assessment: { triggerLabel?: string } }) => e.assessment.triggerLabel).reverse();
  t.deepEqual(labels, ['Instant-On (announcement: power cycle)', 'Manual', 'Schedule "Nightly labels"']);
  const tasks = (await api(web, 'GET', '/api/v1/tasks?level=top&limit=10', { token })).body.tasks as { id: string; type: string; triggerLabel: string; trigger: string }[];
  t.is(tasks.find((x) => x.id === manual)!.triggerLabel, 'Manual');
  const scheduled = tasks.find((x) => x.trigger === `schedule:${sch.body.scheduleId}`)!;
  t.is(scheduled.triggerLabel, 'Schedule "Nightly labels"', 'a task started by a schedule shows its name, not its id');
  t.is(tasks.find((x) => x.type === 'instant-on')!.triggerLabel, 'Instant-On (announcement: power cycle)');
  // The schedule renamed: the label follows.
  t.is((await api(web, 'PUT', `/api/v1/schedules/${sch.body.scheduleId}`, { token, body: { name: 'Renamed' } })).status, 200);
  t.is((await api(web, 'GET', `/api/v1/tasks/${scheduled.id}`, { token })).body.triggerLabel, 'Schedule "Renamed"');
});

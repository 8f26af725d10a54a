// The first run as a guided path (issue 17 §4): GET /api/v1/setup ticks each step when the appliance sees it
// work — a policy, automatic remediation with it, an announcement on the real announce port, a device
// assessed — and the sign-in help's file is reported only while it exists.
import test from 'ava';
import { existsSync, writeFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startTestAppliance, api, login, waitFor } from '../fakes/appliance.ts';
import { frameBytes, sampleAnnouncement, sendRaw } from '../fakes/hdap-raw-client.ts';

test('the checklist ticks itself as the appliance sees each step; the first-start file only while it exists', async (t) => {
  const h = await startTestAppliance({ cli: { snmpTimeoutMs: 200, snmpRetries: 0 } });
  t.teardown(() => h.stop());
  const web = h.appliance.webPort;
  const token = await login(web);
  const steps = async () => Object.fromEntries(((await api(web, 'GET', '/api/v1/setup', { token })).body.steps as { id: string; done: boolean; title: string; detail: string }[]).map((x) => [x.id, x]));

  let s = await steps();
  t.like(s, { policy: { done: false }, remediation: { done: false }, firewall: { done: false }, assessed: { done: false } });
  t.is(s.firewall.title, `Open TCP port ${h.appliance.announcePort} from the printers to this appliance`, 'the real port, not 3329');
  t.regex(s.dns.detail, /\w/);

  const policyId = (await api(web, 'POST', '/api/v1/policies', { token, body: { name: 'First run', settings: { telnet: false } } })).body.id;
  t.like(await steps(), { policy: { done: true }, remediation: { done: false } });
  await api(web, 'PUT', '/api/v1/instant-on', { token, body: { allowAutomaticRemediation: true, initialPolicyId: policyId } });
  s = await steps();
  t.true(s.remediation.done);
  t.regex(s.remediation.detail, /"First run"/);

  const ann = sampleAnnouncement('SETUP0001');
  ann.device = { ...ann.device, ipv4: '127.0.0.1', snmpPort: 9 };
  t.is((await sendRaw(h.appliance.announcePort, frameBytes(ann))).acks[0]?.status, 'accepted');
  s = await steps();
  t.true(s.firewall.done);
  t.regex(s.firewall.detail, /1 printer announced/);
  await waitFor(async () => (await steps()).assessed.done, 20_000);

  // The first-start password file: named (with its real folder) while it exists, null once it is gone.
  const file = join(h.dataDir, 'initial-admin-password');
  t.false(existsSync(file), 'INSTANT_ON_ADMIN_PASSWORD: no file was written');
  t.deepEqual((await api(web, 'GET', '/api/v1/first-start')).body, { initialPasswordFile: null });
  writeFileSync(file, 'x\n');
  t.deepEqual((await api(web, 'GET', '/api/v1/first-start')).body, { initialPasswordFile: file });
  t.false((await steps()).password.done, 'the password step is open while the file is there');
  rmSync(file);
  t.true((await steps()).password.done);
});

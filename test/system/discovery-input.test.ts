// Issue 14, bad input: malformed ranges, a range over the cap, a host name that does not resolve, an upload
// with garbage lines, bad schedules. Each is a clear 400 naming the field or the line; nothing is stored or
// started, and the appliance carries on.
import test from 'ava';
import { startTestAppliance, api, login } from '../fakes/appliance.ts';

test('bad discovery requests are 400s naming the field or line, and nothing is stored', async (t) => {
  const h = await startTestAppliance({ env: { INSTANT_ON_DISCOVERY_MAX_ADDRESSES: '512' } });
  t.teardown(() => h.stop());
  const web = h.appliance.webPort;
  const token = await login(web);
  const post = (body: unknown) => api(web, 'POST', '/api/v1/discovery', { token, body });
  const fields = (r: { body: any }) => (r.body.error.details as any[]).map((d) => d.field);

  let r = await post({ targets: ['127.0.0.0/33', '127.0.1.40-127.0.1.10', '127.0.0.7', '127.0.0.300', 'not a host!', '2001:db8::/64'] });
  t.is(r.status, 400);
  t.is(r.body.error.code, 'invalid-targets');
  t.deepEqual(fields(r), ['targets[0]', 'targets[1]', 'targets[3]', 'targets[4]', 'targets[5]']);
  t.is(r.body.error.message, 'targets[0]: "127.0.0.0/33" prefix length must be 0–32 (and 4 more)');
  t.regex(r.body.error.details[1].message, /ends before it starts/);

  r = await post({ targets: ['127.0.0.5', '127.8.0.0/22'] });
  t.is(r.status, 400);
  t.deepEqual(fields(r), ['targets[1]']);
  t.regex(r.body.error.message, /"127\.8\.0\.0\/22" is 1022 addresses; a job may probe at most 512 \(setting discoveryMaxAddresses\)/);
  r = await post({ targets: ['127.8.0.0/24', '127.8.1.0/24', '127.8.2.0/24'] });
  t.is(r.status, 400);
  t.is(r.body.error.code, 'too-many-addresses');
  t.deepEqual(fields(r), ['targets']);
  t.regex(r.body.error.message, /^the targets make 762 addresses; a job may probe at most 512/);

  r = await post({ targets: ['127.0.0.9', 'prn-does-not-exist.invalid'] });
  t.is(r.status, 400);
  t.is(r.body.error.code, 'unresolvable-host');
  t.deepEqual(fields(r), ['targets[1]']);
  t.regex(r.body.error.message, /^targets\[1\]: "prn-does-not-exist\.invalid" does not resolve/);

  for (const [body, field] of [[{ targets: '127.0.0.1' }, 'targets'], [{ targets: [] }, 'targets'], [{ targets: ['127.0.0.1'], snmpPort: 70000 }, 'snmpPort'],
    [{ targets: ['127.0.0.1'], extra: 1 }, '(body)'], [{ targets: ['127.0.0.1'], assess: { policyId: '' } }, 'assess.policyId']] as const) {
    r = await post(body);
    t.is(r.status, 400, JSON.stringify(body));
    t.true(fields(r).includes(field), `${JSON.stringify(body)} → ${JSON.stringify(r.body.error)}`);
  }
  r = await post({ targets: ['127.0.0.1'], assess: { policyId: 'no-such-policy', remediate: true } });
  t.is(r.status, 400);
  t.deepEqual(fields(r), ['assess.policyId']);

  // An upload with garbage lines: every bad line named, nothing started.
  const upload = (text: string, type = 'text/plain') => api(web, 'POST', '/api/v1/discovery/upload', { token, text, headers: { 'content-type': type } });
  r = await upload('address,site\n127.0.0.1,HQ\nprinter #2 in the lobby\n127.0.0.0/40,store\n\u0007\u0008\n127.0.0.4\n');
  t.is(r.status, 400);
  t.is(r.body.error.code, 'invalid-upload');
  t.deepEqual((r.body.error.details as any[]).map((d) => d.line), [3, 4, 5]);
  t.regex(r.body.error.message, /^line 3: "printer #2 in the lobby" is not an IPv4 address, range .* \(and 2 more\)$/);
  r = await upload('127.0.0.1\n"unterminated\n', 'text/csv');
  t.is(r.status, 400);
  t.regex(r.body.error.message, /^line \d: is not readable as text or CSV/);
  r = await upload('127.0.0.1\nprn-does-not-exist.invalid\n');
  t.is(r.status, 400);
  t.deepEqual(r.body.error.details.map((d: any) => d.field), ['line 2']);
  r = await api(web, 'POST', '/api/v1/discovery/upload', { token, body: { targets: ['127.0.0.1'] } });
  t.is(r.status, 415, 'the upload is the file itself, not JSON');

  // Schedules: the same checks, plus the scheduler's own (interval, start).
  const sched = (body: unknown) => api(web, 'POST', '/api/v1/discovery/schedules', { token, body });
  r = await sched({ name: 'nightly', kind: 'daily', targets: ['127.0.0.0/33'] });
  t.is(r.status, 400);
  t.deepEqual(fields(r), ['targets[0]']);
  r = await sched({ name: 'too often', kind: 'every', every: '0:0:0:5', targets: ['127.0.0.0/30'] });
  t.is(r.status, 400);
  t.deepEqual(fields(r), ['every']);
  r = await sched({ name: 'past', kind: 'once', startAt: '2020-01-01T00:00:00Z', targets: ['127.0.0.0/30'] });
  t.is(r.status, 400);
  t.deepEqual(fields(r), ['startAt']);
  t.is((await api(web, 'DELETE', '/api/v1/discovery/schedules/sch-nope', { token })).status, 404);

  // Nothing was stored or started, and the appliance is still serving.
  t.is(h.appliance.tasks.list({ type: 'discovery' }).length, 0);
  t.deepEqual((await api(web, 'GET', '/api/v1/discovery/schedules', { token })).body.schedules, []);
  t.is(h.appliance.registry.size, 0);
  t.is((await api(web, 'GET', '/api/v1/health')).status, 200);
});

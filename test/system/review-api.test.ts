// Review of the API surfaces added after issue 12, as a signed-in but careless (or hostile) caller would try
// them: inputs that used to answer 500 (a filter of nested "not"s, report dates a Date cannot hold), a
// schedule edited into a discovery that could not run, and the live event stream outliving the credentials
// it was opened with (a revoked API token, a signed-out session).
import test from 'ava';
import { startTestAppliance, api, login, waitFor } from '../fakes/appliance.ts';
import { openEvents } from '../fakes/sse.ts';

test('no 500s: a deeply nested filter, extreme report dates; a bad discovery schedule edit is a 400 naming the field', async (t) => {
  const h = await startTestAppliance();
  t.teardown(() => h.stop());
  const web = h.appliance.webPort;
  const token = await login(web);

  // 7,900 nested "not"s fit in the 64 KiB body: the check used to overflow the stack (500).
  let filter = '{"field":"model","op":"contains","value":"x"}';
  for (let i = 0; i < 7900; i++) filter = `{"not":${filter}}`;
  const deep = await api(web, 'POST', '/api/v1/groups', { token, text: `{"name":"deep","kind":"auto","priority":5,"filter":${filter}}`, headers: { 'content-type': 'application/json' } });
  t.is(deep.status, 400, JSON.stringify(deep.body).slice(0, 300));
  t.regex(deep.body.error.details[0].message, /nests at most 8 levels/);
  let nine = '{"field":"model","op":"contains","value":"x"}';
  for (let i = 0; i < 9; i++) nine = `{"not":${nine}}`;
  t.is((await api(web, 'POST', '/api/v1/groups', { token, text: `{"name":"nine","kind":"auto","priority":6,"filter":${nine}}`, headers: { 'content-type': 'application/json' } })).status, 400);
  const fine = { all: [{ not: { any: [{ field: 'model', op: 'contains', value: 'M5' }, { not: { field: 'serial', op: 'prefix', value: 'CN' } }] } }] };
  t.is((await api(web, 'POST', '/api/v1/groups', { token, body: { name: 'fine', kind: 'auto', priority: 7, filter: fine } })).status, 201);

  for (const q of ['to=-271821-04-20', 'from=-271821-04-20T00:00:00Z&to=-271821-04-21', 'from=1969-12-31&to=2000-01-02']) {
    for (const p of ['/api/v1/reports/compliance', '/api/v1/reports/compliance.csv', '/api/v1/reports/compliance.pdf']) {
      const r = await api(web, 'GET', `${p}?${q}`, { token });
      t.is(r.status, 400, `${p}?${q}: ${JSON.stringify(r.body).slice(0, 200)}`);
      t.is(r.body.error?.code, 'invalid-period');
    }
  }

  const made = await api(web, 'POST', '/api/v1/discovery/schedules', { token, body: { name: 'nightly', kind: 'daily', targets: ['127.0.0.1'] } });
  t.is(made.status, 201, JSON.stringify(made.body));
  const edit = await api(web, 'PUT', `/api/v1/schedules/${made.body.id}`, { token, body: { action: { type: 'discovery', targets: ['127.0.0.1'], snmpPort: 'x' } } });
  t.is(edit.status, 400);
  t.is(edit.body.error.details[0].field, 'snmpPort');
  const mapped = await api(web, 'PUT', `/api/v1/schedules/${made.body.id}`, { token, body: { action: { type: 'discovery', targets: ['::ffff:224.0.0.1'] } } });
  t.is(mapped.status, 400, 'a multicast address in IPv4-mapped form is refused too');
});

test('the event stream ends when its API token is revoked or its session signed out, before the next event', async (t) => {
  const h = await startTestAppliance();
  t.teardown(() => h.stop());
  const web = h.appliance.webPort;
  const admin = await login(web);
  const made = await api(web, 'POST', '/api/v1/tokens', { token: admin, body: { name: 'dashboard', scope: 'read' } });
  t.is(made.status, 201);
  const viaToken = openEvents(web, { authorization: `Bearer ${made.body.secret}` });
  const session = await login(web);
  const viaSession = openEvents(web, { authorization: `Bearer ${session}` });
  const control = openEvents(web, { authorization: `Bearer ${admin}` });
  t.teardown(() => { viaToken.close(); viaSession.close(); control.close(); });
  t.deepEqual([await viaToken.status, await viaSession.status, await control.status], [200, 200, 200]);
  const change = (level: string) => api(web, 'PUT', '/api/v1/settings', { token: admin, body: { logLevel: level } });

  t.is((await change('debug')).status, 200);
  await waitFor(() => [viaToken, viaSession, control].every((s) => s.events().includes('audit')));

  t.is((await api(web, 'DELETE', `/api/v1/tokens/${made.body.token.id}`, { token: admin })).status, 200);
  t.is((await api(web, 'POST', '/api/v1/logout', { token: session })).status < 300, true);
  const seen = { token: viaToken.events().length, session: viaSession.events().length };
  t.is((await change('info')).status, 200);
  await waitFor(() => control.events().filter((e) => e === 'audit').length >= 4); // token.revoke, logout, settings ×2
  await waitFor(() => viaToken.isEnded() && viaSession.isEnded(), 5000);
  t.is(viaToken.events().length, seen.token, 'nothing more reached the revoked token\'s stream');
  t.is(viaSession.events().length, seen.session, 'nothing more reached the signed-out session\'s stream');
  t.false(control.isEnded(), 'a stream whose credentials are valid goes on');
  // And the revoked token cannot open a new one.
  t.is(await openEvents(web, { authorization: `Bearer ${made.body.secret}` }).status, 401);
});

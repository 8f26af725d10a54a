// Named API tokens against a running appliance: made on the API, used as bearer by a script, named in the
// audit log, read-only unless admin, unable to manage tokens, revoked at once, kept across a restart.
import test from 'ava';
import { startTestAppliance, api, login } from '../fakes/appliance.ts';

test('a named token works as a bearer, is audited by name, respects its scope, survives a restart and dies when revoked', async (t) => {
  const h = await startTestAppliance();
  let h2: Awaited<ReturnType<typeof startTestAppliance>> | undefined;
  t.teardown(async () => { await h2?.stop(); await h.stop(); });
  const port = h.appliance.webPort;
  const session = await login(port);

  const bad = await api(port, 'POST', '/api/v1/tokens', { token: session, body: { name: '' } });
  t.is(bad.status, 400);
  t.is(bad.body.error.details[0].field, 'name');

  const ro = await api(port, 'POST', '/api/v1/tokens', { token: session, body: { name: 'monitoring', scope: 'read' } });
  t.is(ro.status, 201);
  const rw = await api(port, 'POST', '/api/v1/tokens', { token: session, body: { name: 'nightly script', scope: 'admin' } });
  t.is(rw.status, 201);
  const list = await api(port, 'GET', '/api/v1/tokens', { token: session });
  t.deepEqual(list.body.tokens.map((x: any) => x.name), ['monitoring', 'nightly script']);
  t.false(JSON.stringify(list.body).includes(ro.body.secret), 'a list never shows a secret');

  // Read-only token: reads, cannot change.
  const status = await api(port, 'GET', '/api/v1/status', { token: ro.body.secret });
  t.is(status.status, 200);
  t.is(status.body.version, h.appliance.services.version);
  const refused = await api(port, 'PUT', '/api/v1/settings', { token: ro.body.secret, body: { deviceHistoryLimit: 20 } });
  t.is(refused.status, 403);
  t.is(refused.body.error.code, 'token-read-only');

  // Admin token: changes, and the audit names it.
  const changed = await api(port, 'PUT', '/api/v1/settings', { token: rw.body.secret, body: { deviceHistoryLimit: 20 } });
  t.is(changed.status, 200);
  const audit = await api(port, 'GET', '/api/v1/audit?action=settings.change', { token: session });
  t.is(audit.body.entries[0].user, 'token:nightly script');
  const all = JSON.stringify((await api(port, 'GET', '/api/v1/audit?limit=1000', { token: session })).body);
  t.false(all.includes(ro.body.secret) || all.includes(rw.body.secret), 'no secret in the audit log');

  // A token cannot make tokens or change a password.
  t.is((await api(port, 'POST', '/api/v1/tokens', { token: rw.body.secret, body: { name: 'child' } })).status, 403);
  t.is((await api(port, 'POST', '/api/v1/password', { token: rw.body.secret, body: { currentPassword: 'x', newPassword: 'yyyyyyyyy' } })).status, 403);
  t.is((await api(port, 'GET', '/api/v1/session', { token: ro.body.secret })).body.via, 'api-token');

  // Survives a restart (as sessions do: both are stored).
  await h.appliance.stop(500);
  h2 = await startTestAppliance({ dataDir: h.dataDir });
  const port2 = h2.appliance.webPort;
  t.is((await api(port2, 'GET', '/api/v1/devices', { token: ro.body.secret })).status, 200);
  t.is((await api(port2, 'GET', '/api/v1/devices', { token: session })).status, 200, 'the session survived the restart too');

  const session2 = await login(port2);
  const revoked = await api(port2, 'DELETE', `/api/v1/tokens/${ro.body.token.id}`, { token: session2 });
  t.is(revoked.status, 200);
  t.is((await api(port2, 'GET', '/api/v1/devices', { token: ro.body.secret })).status, 401);
  t.is((await api(port2, 'DELETE', `/api/v1/tokens/${ro.body.token.id}`, { token: session2 })).status, 404);
  const revokeAudit = await api(port2, 'GET', '/api/v1/audit?action=token.revoke', { token: session2 });
  t.is(revokeAudit.body.entries[0].before.name, 'monitoring');
});

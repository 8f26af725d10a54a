// Review: an unauthenticated host hammering the sign-in route. Each locked attempt (429, answered before any
// password is checked) used to be its own audit entry — a synced store write, a live event, a syslog line —
// so one host could write without end and push every real entry out of the 10,000 the audit log keeps.
// Over the real HTTPS port, from many loopback source addresses: the audit log grows by a bounded number of
// entries, the entry of an earlier real change is still there, and the admin still signs in.
import test from 'ava';
import { request, Agent } from 'node:https';
import { startTestAppliance, api, login } from '../fakes/appliance.ts';
import { SIGNIN_AUDIT } from '../../appliance/src/api/signin-audit.ts';

function attempt(port: number, localAddress: string, agent: Agent, username: string): Promise<number> {
  return new Promise((res, rej) => {
    const body = JSON.stringify({ username, password: 'wrong-password-guess' });
    const req = request({ host: '127.0.0.1', port, method: 'POST', path: '/api/v1/login', localAddress, agent, rejectUnauthorized: false,
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (r) => { r.resume(); r.on('end', () => res(r.statusCode ?? 0)); });
    req.on('error', rej);
    req.end(body);
  });
}

test('a flood of failed and locked sign-ins writes a bounded number of audit entries; real entries survive', async (t) => {
  t.timeout(180_000);
  const h = await startTestAppliance();
  t.teardown(() => h.stop());
  const web = h.appliance.webPort;
  const token = await login(web);
  t.is((await api(web, 'PUT', '/api/v1/settings', { token, body: { logLevel: 'info' } })).status, 200);
  const total = async () => (await api(web, 'GET', '/api/v1/audit?limit=1', { token })).body.total as number;
  const before = await total();

  // One host: 5 failures, then locked (429) over and over.
  const agent = new Agent({ keepAlive: true, maxSockets: 8 });
  t.teardown(() => agent.destroy());
  const statuses: number[] = [];
  for (let i = 0; i < 1500; i += 20) {
    statuses.push(...await Promise.all(Array.from({ length: 20 }, (_, j) => attempt(web, '127.0.0.1', agent, `admin${(i + j) % 3 ? '' : 'x'}`))));
  }
  t.true(statuses.filter((s) => s === 429).length > 1000, 'the host was locked out');
  // Many hosts (loopback addresses stand in for a LAN full of them): a few failures each.
  for (let i = 0; i < 300; i += 30) {
    await Promise.all(Array.from({ length: 30 }, (_, j) => attempt(web, `127.0.${10 + ((i + j) >> 7)}.${((i + j) & 127) + 1}`, new Agent({ keepAlive: false }), 'admin')));
  }
  const grown = (await total()) - before;
  t.true(grown <= SIGNIN_AUDIT.total + 5, `the audit log grew by ${grown} entries for 1,800 failed sign-ins`);
  const failed = (await api(web, 'GET', '/api/v1/audit?action=login-locked&limit=1000', { token })).body.entries.length
    + (await api(web, 'GET', '/api/v1/audit?action=login-failed&limit=1000', { token })).body.entries.length;
  t.true(failed >= SIGNIN_AUDIT.perSource, 'failed sign-ins are still recorded');
  const change = (await api(web, 'GET', '/api/v1/audit?action=settings.change', { token })).body.entries;
  t.is(change.length, 1, 'the real change is still in the audit log');
  t.is((await api(web, 'POST', '/api/v1/login', { body: { username: 'admin', password: 'test-admin-pw' }, headers: {} })).status, 429,
    'the source that guessed is still locked');
});

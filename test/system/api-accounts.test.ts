// Accounts (issue 12 §11): sessions survive a restart and a sign-out survives it too; the password rule with
// a 400 that names it (API and page); health tells an anonymous caller only ok/degraded; sign-out is audited.
import test from 'ava';
import { startTestAppliance, api, login, ADMIN_PASSWORD } from '../fakes/appliance.ts';
import { ensureWebBuilt } from '../../scripts/build-web.ts';
import { haveChromium, openBrowser, signIn, settled } from './web-browser.ts';

function cookiesOf(h: Headers): string {
  return h.getSetCookie().flatMap((v) => v.split(/,\s*(?=__Host-)/)).map((c) => c.split(';')[0]).join('; ');
}

test('sessions survive a restart (bearer and page cookie with its CSRF token); a sign-out survives it too; the store holds no token', async (t) => {
  const h = await startTestAppliance();
  t.teardown(() => h.stop());
  const port = h.appliance.webPort;
  const bearer = await login(port);
  const ended = await login(port);
  const page = await api(port, 'POST', '/api/v1/session', { body: { username: 'admin', password: ADMIN_PASSWORD } });
  const headers = { cookie: cookiesOf(page.headers), 'x-csrf-token': page.body.csrfToken };
  t.is((await api(port, 'POST', '/api/v1/logout', { token: ended })).status, 204);
  await h.appliance.stop(200);

  const h2 = await startTestAppliance({ dataDir: h.dataDir });
  t.teardown(() => h2.stop());
  const port2 = h2.appliance.webPort;
  t.is((await api(port2, 'GET', '/api/v1/devices', { token: bearer })).status, 200, 'the script\'s token still works');
  const me = await api(port2, 'GET', '/api/v1/session', { headers });
  t.is(me.status, 200, 'the page\'s cookie and CSRF token still work');
  t.is(me.body.csrfToken, page.body.csrfToken);
  t.is((await api(port2, 'GET', '/api/v1/devices', { token: ended })).status, 401, 'signed out before the restart: still signed out');
  t.is((await api(port2, 'GET', '/api/v1/devices', { headers: { cookie: headers.cookie } })).status, 403, 'the CSRF check holds after a restart');
  // What is stored is a hash of each token: the data folder does not hold a usable token.
  const stored = JSON.stringify(await h2.appliance.store.entries('sessions'));
  t.false(stored.includes(bearer));
  t.false(stored.includes(page.body.csrfToken));
  t.is((await h2.appliance.store.entries('sessions')).length, 2);
});

test('passwords: at least 10 characters and not a common one, refused with a 400 naming the rule; a weak INSTANT_ON_ADMIN_PASSWORD stops the first start', async (t) => {
  const h = await startTestAppliance();
  t.teardown(() => h.stop());
  const port = h.appliance.webPort;
  const token = await login(port);
  const change = (newPassword: string) => api(port, 'POST', '/api/v1/password', { token, body: { currentPassword: ADMIN_PASSWORD, newPassword } });
  for (const [pw, why] of [['nine-char', /at least 10 characters \(this one has 9\)/], ['qwertyuiop', /commonly used password/], ['Password123', /commonly used password/], ['1234567890', /commonly used password/]] as const) {
    const r = await change(pw);
    t.is(r.status, 400, pw);
    t.is(r.body.error.code, 'weak-password');
    t.regex(r.body.error.message, why);
    t.regex(r.body.error.message, /the rule: at least 10 characters, not the user name, and not a commonly used password/);
    t.is(r.body.error.details[0].field, 'newPassword');
  }
  t.truthy(await login(port), 'refused changes left the password as it was');
  const ok = await change('correct horse battery');
  t.is(ok.status, 200);
  t.truthy(await login(port, 'correct horse battery'));

  const err = await t.throwsAsync(startTestAppliance({ env: { INSTANT_ON_ADMIN_PASSWORD: 'letmein123' } }));
  t.regex(err!.message, /INSTANT_ON_ADMIN_PASSWORD: the password is a commonly used password/);
});

test('the page\'s password screen states the rule and shows why a password was refused', async (t) => {
  if (!haveChromium()) { t.fail('chromium is not installed (scripts/setup.sh installs it)'); return; }
  await ensureWebBuilt();
  const h = await startTestAppliance();
  const b = await openBrowser();
  t.teardown(async () => { await b.close(); await h.stop(); });
  const base = `https://127.0.0.1:${h.appliance.webPort}`;
  await signIn(b.page, base, ADMIN_PASSWORD);
  await b.page.goto(`${base}/#/password`);
  await settled(b.page);
  t.true((await b.page.textContent('body'))!.includes('At least 10 characters, not the user name, and not a commonly used password.'));
  await b.page.getByLabel('Current password').fill(ADMIN_PASSWORD);
  await b.page.getByLabel('New password', { exact: false }).first().fill('1q2w3e4r5t');
  await b.page.getByLabel('New password again').fill('1q2w3e4r5t');
  await b.page.getByRole('button', { name: 'Change password' }).click();
  await b.page.getByText(/is a commonly used password/).first().waitFor();
  t.truthy(await login(h.appliance.webPort), 'the password did not change');
});

test('health: anonymous callers learn only ok or degraded; signed-in callers get the details; status names the problems', async (t) => {
  const h = await startTestAppliance();
  t.teardown(() => h.stop());
  const port = h.appliance.webPort;
  const token = await login(port);
  t.deepEqual((await api(port, 'GET', '/api/v1/health')).body, { status: 'ok' });
  t.deepEqual((await api(port, 'GET', '/api/v1/health', { token: 'forged' })).body, { status: 'ok' }, 'a bad token is simply anonymous here');
  t.is((await api(port, 'HEAD', '/api/v1/health')).status, 200);
  t.like((await api(port, 'GET', '/api/v1/health', { token })).body, { status: 'ok', problems: [], version: h.appliance.services.version, devices: 0 });
  // A component reports a problem (the store room does this for a damaged store or a full disk).
  h.appliance.services.healthProblems = () => ['the disk is full'];
  t.deepEqual((await api(port, 'GET', '/api/v1/health')).body, { status: 'degraded' });
  t.like((await api(port, 'GET', '/api/v1/health', { token })).body, { status: 'degraded', problems: ['the disk is full'] });
  t.like((await api(port, 'GET', '/api/v1/status', { token })).body.health, { status: 'degraded', problems: ['the disk is full'] });
});

test('signing out is audited as logout (script and page)', async (t) => {
  const h = await startTestAppliance();
  t.teardown(() => h.stop());
  const port = h.appliance.webPort;
  const token = await login(port);
  t.is((await api(port, 'POST', '/api/v1/logout', { token })).status, 204);
  const page = await api(port, 'POST', '/api/v1/session', { body: { username: 'admin', password: ADMIN_PASSWORD } });
  t.is((await api(port, 'DELETE', '/api/v1/session', { headers: { cookie: cookiesOf(page.headers), 'x-csrf-token': page.body.csrfToken } })).status, 204);
  const audit = (await api(port, 'GET', '/api/v1/audit?action=logout', { token: await login(port) })).body.entries;
  t.deepEqual(audit.map((e: any) => [e.user, e.method, e.path, e.status]), [['admin', 'DELETE', '/api/v1/session', 204], ['admin', 'POST', '/api/v1/logout', 204]]);
});

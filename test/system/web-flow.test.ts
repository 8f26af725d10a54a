// The admin page in a real browser (Debian's Chromium via playwright-core), the branch admin's first day:
// sign in; set the SNMP credential; create a policy and enable automatic remediation with it; five
// simulated printers boot; they appear live and turn compliant without a reload; open one and see what was
// changed; export the CSV; sign out.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { startTestAppliance, api, login, ADMIN_PASSWORD } from '../fakes/appliance.ts';
import { Fleet } from '../../appliance/src/sim/fleet.ts';
import { ensureWebBuilt } from '../../scripts/build-web.ts';
import { haveChromium, openBrowser, signIn, screenshot, shotPath } from './web-browser.ts';

test('sign in, policy + automatic remediation, 5 printers appear and turn compliant live, detail, CSV, sign out', async (t) => {
  if (!haveChromium()) { t.fail('chromium is not installed (scripts/setup.sh installs it)'); return; }
  await ensureWebBuilt();
  const h = await startTestAppliance({ env: { INSTANT_ON_SNMP_TIMEOUT_MS: '1500' } });
  const fleet = new Fleet({ count: 5, serialPrefix: 'WEB', firstIndex: 8300, resolveTarget: async () => ({ host: '127.0.0.1', port: h.appliance.announcePort }) });
  await fleet.startAgents({ port: 0 });
  const b = await openBrowser();
  t.teardown(async () => { await b.close(); await fleet.stop(); await h.stop(); });
  const errors: string[] = [];
  b.page.on('pageerror', (e) => errors.push(e.message));
  const base = `https://127.0.0.1:${h.appliance.webPort}`;
  const page = b.page;

  // Sign-in page explains where the first password is.
  await page.goto(`${base}/`);
  await page.getByText('First start: where is the password?').waitFor();
  t.true((await page.textContent('body'))!.includes('initial-admin-password'));
  await screenshot(page, shotPath('signin.png'));
  // A wrong password is refused with a message, then the right one signs in.
  await page.getByLabel('Password').fill('not-the-password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('alert').getByText('wrong user name or password').waitFor();
  await signIn(page, base, ADMIN_PASSWORD);
  await page.getByTestId('live').getByText('live').waitFor();

  // The compliance routes (issue 4) may land after the page: the compliance half of this test needs them.
  const token = await login(h.appliance.webPort);
  const compliance = (await api(h.appliance.webPort, 'GET', '/api/v1/instant-on', { token })).status !== 404;
  if (compliance) {
    await page.goto(`${base}/#/credentials`);
    const form = page.locator('.card', { hasText: 'Default credential' });
    await form.getByLabel('Read community').fill('public');
    await form.getByLabel('Write community').fill('private');
    await form.getByRole('button', { name: 'Save credential' }).click();
    await form.getByText('Stored: SNMPv2c').waitFor();
    t.is(await form.getByLabel('Read community').inputValue(), '', 'a saved secret is not shown again');

    await page.goto(`${base}/#/policies/new`);
    await page.getByLabel('Name', { exact: true }).fill('Branch baseline');
    for (const id of ['telnet', 'ftp', 'sys-location']) await page.locator(`[data-setting="${id}"] input[type=checkbox]`).check();
    await page.getByLabel('Location value').fill('Branch 42');
    // Validation messages from the API show next to the field: a control character is refused.
    await page.locator('[data-setting="sys-contact"] input[type=checkbox]').check();
    await page.getByLabel('Contact value').fill('IT desk \u0007 bell');
    await page.getByTestId('save-policy').click();
    await page.locator('[data-setting="sys-contact"] .field-error').waitFor();
    await page.locator('[data-setting="sys-contact"] input[type=checkbox]').uncheck();
    await screenshot(page, shotPath('policy.png'));
    await page.getByTestId('save-policy').click();
    await page.waitForURL(/#\/policies\/[0-9a-f-]{36}$/);

    await page.goto(`${base}/#/instant-on`);
    await page.locator('input[name=allowAutomaticRemediation]').check();
    await page.locator('select[name=initialPolicyId]').selectOption({ label: 'Branch baseline' });
    await page.getByTestId('save-instant-on').click();
    const reminder = await page.getByTestId('firewall-reminder').textContent();
    t.true(reminder!.includes(`TCP port ${h.appliance.announcePort} `), reminder!);
    await screenshot(page, shotPath('instant-on.png'));
  } else {
    t.log('GET /api/v1/instant-on answers 404: compliance is not wired yet, so only live discovery is checked');
  }

  // Printers boot while the admin watches the device list: rows appear without a reload.
  await page.goto(`${base}/#/devices`);
  await page.evaluate('window.sameDocument = true');
  await fleet.announceAll('initial-boot');
  // Predicates are functions, not strings: the page's CSP (rightly) forbids eval.
  await page.waitForFunction(() => (globalThis as any).document.querySelectorAll('[data-testid=devices-table] tbody tr').length === 5, undefined, { timeout: 10_000 });
  for (const p of fleet.printers) t.is(await page.locator(`tr[data-serial="${p.serialNumber}"]`).count(), 1);
  if (compliance) {
    await page.waitForFunction(() => [...(globalThis as any).document.querySelectorAll('[data-testid=devices-table] tbody tr')]
      .every((tr: any) => /^(remediated|compliant)$/.test(tr.querySelector('td:last-child .badge')?.textContent ?? '')), undefined, { timeout: 20_000 });
    t.pass('all five turned compliant live');
  }
  t.true(await page.evaluate('window.sameDocument === true'), 'no reload happened');
  await screenshot(page, shotPath('devices.png'));

  // One printer's detail.
  const serial = fleet.printers[0].serialNumber;
  await page.locator(`tr[data-serial="${serial}"] a`).click();
  await page.getByRole('heading', { name: serial }).waitFor();
  if (compliance) {
    const table = page.getByTestId('settings-result');
    await table.waitFor();
    const rows = await table.locator('tbody tr').allTextContents();
    t.is(rows.length, 3);
    t.true(rows.some((r) => r.startsWith('Telnet') && r.includes('changed')), rows.join(' | '));
    t.true(rows.some((r) => r.startsWith('Location') && r.includes('Branch 42') && r.includes('changed')));
    t.true((await page.locator('ol.timeline').first().textContent())!.includes('Branch baseline'), 'assessment history lists the run');
  }
  await screenshot(page, shotPath('device.png'));

  // CSV export through the page's own link (cookie + CSRF token in the query).
  await page.goto(`${base}/#/devices`);
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-csv').click()]);
  const csv = readFileSync((await download.path())!, 'utf8').replace(/^\ufeff/, '').trim().split('\r\n');
  t.is(csv.length, 6, 'header and five devices');
  for (const p of fleet.printers) {
    const line = csv.find((l) => l.startsWith(`${p.serialNumber},`));
    t.truthy(line);
    if (compliance) t.regex(line!, /,Branch baseline,(remediated|compliant),/);
  }

  // Sign out: back to the sign-in form, and the old session is gone.
  await page.getByTestId('sign-out').click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
  const after = await page.evaluate("fetch('/api/v1/devices').then((r) => r.status)");
  t.is(after, 401);
  t.deepEqual(errors, [], 'no script error on the page');
});

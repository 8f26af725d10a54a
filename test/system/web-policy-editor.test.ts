// Issue 18, the policy editor for many settings, in Chromium: search, areas, the built-in "branch baseline"
// template, per setting which of the fleet's models supported it (from their assessments), a secret typed
// once and never shown again, and a guarded setting refused with the reason next to it.
import test from 'ava';
import { startTestAppliance, api, login, waitFor, ADMIN_PASSWORD } from '../fakes/appliance.ts';
import { SimPrinter } from '../../appliance/src/sim/printer.ts';
import { ensureWebBuilt } from '../../scripts/build-web.ts';
import { haveChromium, openBrowser, signIn, screenshot, shotPath } from './web-browser.ts';

const SECRET = 'Br4nch-Adm1n!';

test('policy editor: search, areas, template, fleet support, secret never shown, guard reason', async (t) => {
  if (!haveChromium()) { t.fail('chromium is not installed (scripts/setup.sh installs it)'); return; }
  await ensureWebBuilt();
  const h = await startTestAppliance({ env: { INSTANT_ON_SNMP_TIMEOUT_MS: '1500' } });
  const target = async () => ({ host: '127.0.0.1', port: h.appliance.announcePort });
  const laserjet = new SimPrinter({ index: 6100, serialPrefix: 'PED', address: '127.0.61.1', resolveTarget: target });
  const pagewide = new SimPrinter({ index: 6104, serialPrefix: 'PED', address: '127.0.61.2', resolveTarget: target });
  await laserjet.startAgent({ port: 0 });
  await pagewide.startAgent({ port: 0, model: 'pagewide-477' });
  const b = await openBrowser({ height: 1400 });
  t.teardown(async () => { await b.close(); await laserjet.stop(); await pagewide.stop(); await h.stop(); });
  const errors: string[] = [];
  b.page.on('pageerror', (e) => errors.push(e.message));
  const web = h.appliance.webPort;
  const token = await login(web);
  await api(web, 'PUT', '/api/v1/credentials/default', { token, body: { version: '2c', readCommunity: 'public', writeCommunity: 'private' } });
  // The fleet was assessed once: the PageWide lacks the panel lock and the LaserJet device objects.
  const first = await api(web, 'POST', '/api/v1/policies', { token, body: { name: 'First', settings: { telnet: false, 'control-panel-lock': true, 'eprint-email': false } } });
  await api(web, 'PUT', '/api/v1/instant-on', { token, body: { allowAutomaticRemediation: true, initialPolicyId: first.body.id } });
  for (const p of [laserjet, pagewide]) t.is(await p.boot(), 'Success');
  await waitFor(async () => (await api(web, 'GET', '/api/v1/catalog/support', { token })).body.assessedDevices === 2, 15_000);

  const base = `https://127.0.0.1:${web}`;
  const page = b.page;
  await signIn(page, base, ADMIN_PASSWORD);
  await page.goto(`${base}/#/policies/new`);
  await page.locator('[data-setting="telnet"]').waitFor();
  const rows = () => page.locator('[data-setting]').count();
  const all = await rows();
  t.true(all >= 50, `${all} settings listed`);

  await page.getByLabel('Search settings').fill('tls');
  await page.locator('[data-setting="telnet"]').waitFor({ state: 'detached' });
  t.true(await page.locator('[data-setting="tls-versions"]').isVisible());
  t.true((await rows()) < 10);
  await page.getByLabel('Search settings').fill('');
  await page.getByLabel('Area').selectOption('passwords');
  await page.locator('[data-setting="telnet"]').waitFor({ state: 'detached' });
  t.deepEqual(await page.locator('[data-setting]').evaluateAll((els) => els.map((e) => e.getAttribute('data-setting'))),
    ['admin-password', 'ews-password-legacy', 'fs-password', 'web-proxy-password']);
  await page.getByLabel('Area').selectOption('');

  // Which models of this fleet supported the setting, from the assessments.
  const lock = await page.locator('[data-setting="control-panel-lock"] [data-testid=fleet-support]').textContent();
  t.regex(lock!, new RegExp(`supported by ${laserjet.model} \\(1\\); not by ${pagewide.model} \\(1\\)`));

  await page.getByTestId('template-branch-baseline').click();
  t.is(await page.getByLabel('Name', { exact: true }).inputValue(), 'Branch baseline');
  await page.locator('[data-setting="admin-password"] .field-error').getByText('the template asks for this one').waitFor();
  t.is(await page.locator('[data-setting="ftp"] select').inputValue(), 'off');
  t.is(await page.locator('[data-setting="hpdap-server"] input[type=checkbox]').nth(1).isChecked(), true, '"this appliance"');
  await page.locator('[data-setting="admin-password"] input[type=checkbox]').check();
  await page.getByLabel('Admin password value').fill(SECRET);
  await page.getByLabel('Search settings').focus();
  await page.evaluate(() => (globalThis as any).scrollTo(0, 0));
  await screenshot(page, shotPath('policy-editor.png'));

  // A guarded value is refused, with the reason next to the setting.
  await page.locator('[data-setting="snmp-agent"] input[type=checkbox]').check();
  await page.getByTestId('save-policy').click();
  const why = await page.locator('[data-setting="snmp-agent"] .field-error').textContent();
  t.regex(why!, /cannot be undone over SNMP/);
  await page.locator('[data-setting="snmp-agent"] input[type=checkbox]').uncheck();
  await page.getByTestId('save-policy').click();
  await page.waitForURL(/#\/policies\/[0-9a-f-]{36}$/);
  const id = page.url().split('/').pop()!;

  // Reopened: the secret is stored, and the page never has it.
  await page.goto(`${base}/#/policies`);
  await page.goto(`${base}/#/policies/${id}`);
  await page.locator('[data-setting="admin-password"] [data-testid=secret-stored]').waitFor();
  t.is(await page.getByLabel('Admin password value').inputValue(), '');
  t.false((await page.content()).includes(SECRET));
  const stored = (await api(web, 'GET', `/api/v1/policies/${id}`, { token })).body;
  t.deepEqual(stored.settings['admin-password'], { set: true });
  t.is(Object.keys(stored.settings).length, 28);
  t.deepEqual(errors, []);
});

// Issue 16 item 2 on the page (headless Chromium): four printers changing identity and three announcing too
// often are two dashboard lines with counts, not seven; the Alerts page lists them, resolves one, and edits
// who gets e-mail for which kinds.
import test from 'ava';
import { startTestAppliance, api, login, waitFor, ADMIN_PASSWORD } from '../fakes/appliance.ts';
import { SimPrinter } from '../../appliance/src/sim/printer.ts';
import { haveChromium, openBrowser, signIn, screenshot, shotPath } from './web-browser.ts';

test('the dashboard groups alerts by kind with a count; the Alerts page resolves one and saves subscriptions', async (t) => {
  if (!haveChromium()) { t.fail('chromium is not installed (scripts/setup.sh installs it)'); return; }
  t.timeout(120_000);
  const h = await startTestAppliance({ env: { INSTANT_ON_TOO_OFTEN_PER_HOUR: '2' } });
  const fleet = Array.from({ length: 4 }, (_, i) => new SimPrinter({ index: 6100 + i, serialPrefix: 'WEBA', resolveTarget: async () => ({ host: '127.0.0.1', port: h.appliance.announcePort }) }));
  const browser = await openBrowser();
  t.teardown(async () => { await browser.close(); for (const p of fleet) await p.stop(); await h.stop(); });
  const web = h.appliance.webPort;
  const token = await login(web);
  for (const p of fleet) t.is(await p.boot(), 'Success');
  for (const p of fleet) await p.replaceFormatter();
  for (const p of fleet.slice(0, 3)) await p.announce('periodic'); // a third announcement in the hour: too often
  t.is((await api(web, 'POST', '/api/v1/alerts/check', { token })).status, 200);
  const summary = (await api(web, 'GET', '/api/v1/alerts/summary', { token })).body;
  t.deepEqual(summary.kinds.map((k: any) => [k.kind, k.open]).sort(), [['device-identity-changed', 4], ['device-too-often', 3]]);

  const { page } = browser;
  await signIn(page, `https://127.0.0.1:${web}`, ADMIN_PASSWORD);
  const lines = page.getByTestId('alert-lines').locator('li');
  await waitFor(async () => (await lines.count()) === 2, 15_000);
  t.regex(await page.locator('[data-kind="device-identity-changed"]').innerText(), /^Device identity changed: 4 \(/);
  t.regex(await page.locator('[data-kind="device-too-often"]').innerText(), /^Device announcing too often: 3 \(/);
  await screenshot(page, shotPath('dashboard-alerts.png'));

  await page.locator('[data-kind="device-identity-changed"] a').click();
  const rows = page.getByTestId('open-alerts').locator('tbody tr');
  await waitFor(async () => (await rows.count()) === 4, 15_000);
  await rows.first().getByRole('button', { name: 'Resolve' }).click();
  await waitFor(async () => (await rows.count()) === 3, 15_000);
  t.is((await api(web, 'GET', '/api/v1/alerts?kind=device-identity-changed', { token })).body.alerts.length, 3);

  await page.goto(`https://127.0.0.1:${web}/#/alerts`);
  await page.getByRole('button', { name: 'Add recipient' }).click();
  await page.getByLabel('recipient 1').fill('branch-it@example.org');
  await page.getByRole('button', { name: 'Save subscriptions' }).click();
  await page.getByText('Saved.').waitFor();
  t.deepEqual((await api(web, 'GET', '/api/v1/alerts/subscriptions', { token })).body.subscriptions, [{ email: 'branch-it@example.org', kinds: ['*'] }]);
  t.regex(await page.getByTestId('mail-status').innerText(), /Mail is off/);
  await screenshot(page, shotPath('alerts.png'));
});

// The operations screens in Chromium (issue 16): the version in the header; an API token made on the page,
// shown once, working as a bearer, revoked on the page.
import test from 'ava';
import { startTestAppliance, api, ADMIN_PASSWORD } from '../fakes/appliance.ts';
import { ensureWebBuilt } from '../../scripts/build-web.ts';
import { haveChromium, openBrowser, signIn, settled, screenshot, shotPath } from './web-browser.ts';

test('version in the header; the compliance trend; a token made and revoked on the page', async (t) => {
  if (!haveChromium()) { t.fail('chromium is not installed (scripts/setup.sh installs it)'); return; }
  await ensureWebBuilt();
  const h = await startTestAppliance();
  const b = await openBrowser();
  t.teardown(async () => { await b.close(); await h.stop(); });
  const errors: string[] = [];
  b.page.on('pageerror', (e) => errors.push(e.message));
  const port = h.appliance.webPort;
  const base = `https://127.0.0.1:${port}`;
  const page = b.page;
  await signIn(page, base, ADMIN_PASSWORD);
  t.is(await page.getByTestId('version').textContent(), `v${h.appliance.services.version}`);
  await page.getByTestId('compliance-trend').waitFor();
  t.is(await page.getByTestId('compliance-trend').locator('g').count(), 30, 'one bar per day of the last 30');

  await page.goto(`${base}/#/tokens`);
  await settled(page);
  await page.getByLabel('Name').fill('prometheus');
  await page.getByRole('button', { name: 'Make token' }).click();
  const secret = (await page.getByTestId('token-secret').locator('code').textContent())!;
  t.regex(secret, /^ioe_[\w-]{43}$/);
  await screenshot(page, shotPath('tokens.png'));
  t.is((await api(port, 'GET', '/api/v1/status', { token: secret })).status, 200);
  await page.getByRole('button', { name: 'Done' }).click();
  t.is(await page.getByTestId('token-secret').count(), 0, 'the secret is gone from the page once dismissed');
  await page.reload();
  await settled(page);
  t.false((await page.textContent('body'))!.includes(secret), 'the secret is never shown again');

  page.once('dialog', (d) => void d.accept());
  await page.locator('tr[data-token="prometheus"]').getByRole('button', { name: 'Revoke' }).click();
  await page.getByText('Revoked "prometheus".').waitFor();
  t.is((await api(port, 'GET', '/api/v1/status', { token: secret })).status, 401);
  t.deepEqual(errors, []);
});

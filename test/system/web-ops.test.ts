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
  t.is(await page.getByTestId('compliance-trend').locator('svg > *').count(), 30, 'one bar per day of the last 30');

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

  // Backup screen: a short passphrase is refused with the reason; a good one downloads the archive.
  await page.goto(`${base}/#/backup`);
  await settled(page);
  const passInput = page.getByLabel('Passphrase (12 characters or more)');
  await passInput.fill('short');
  await page.getByRole('button', { name: 'Download backup' }).click();
  await page.getByRole('alert').getByText(/at least 12 characters/).waitFor();
  await passInput.fill('a long enough passphrase');
  const [dl] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download backup' }).click()]);
  t.regex(dl.suggestedFilename(), /^instant-on-edge-backup-.*\.tar\.gz$/);
  const { readFileSync } = await import('node:fs');
  t.deepEqual([...readFileSync((await dl.path())!).subarray(0, 2)], [0x1f, 0x8b]);
  await page.goto(`${base}/#/tokens`);
  await settled(page);

  page.once('dialog', (d) => void d.accept());
  await page.locator('tr[data-token="prometheus"]').getByRole('button', { name: 'Revoke' }).click();
  await page.getByText('Revoked "prometheus".').waitFor();
  t.is((await api(port, 'GET', '/api/v1/status', { token: secret })).status, 401);
  t.deepEqual(errors, []);
});

test('devices page: select, bulk remediate and retire; reports page: show, PDF and CSV downloads', async (t) => {
  if (!haveChromium()) { t.fail('chromium is not installed (scripts/setup.sh installs it)'); return; }
  await ensureWebBuilt();
  const h = await startTestAppliance({ env: { INSTANT_ON_SNMP_TIMEOUT_MS: '1000' } });
  const { Fleet } = await import('../../appliance/src/sim/fleet.ts');
  const fleet = new Fleet({ count: 3, serialPrefix: 'WOP', firstIndex: 7500, resolveTarget: async () => ({ host: '127.0.0.1', port: h.appliance.announcePort }) });
  await fleet.startAgents({ port: 0 });
  const b = await openBrowser();
  t.teardown(async () => { await b.close(); await fleet.stop(); await h.stop(); });
  const errors: string[] = [];
  b.page.on('pageerror', (e) => errors.push(e.message));
  const port = h.appliance.webPort;
  const base = `https://127.0.0.1:${port}`;
  const page = b.page;
  const { login } = await import('../fakes/appliance.ts');
  const token = await login(port);
  await api(port, 'PUT', '/api/v1/credentials/default', { token, body: { version: '2c', readCommunity: 'public', writeCommunity: 'private' } });
  await api(port, 'POST', '/api/v1/policies', { token, body: { name: 'Branch baseline', settings: { telnet: false } } });
  await fleet.announceAll('initial-boot');
  const [p0, p1, p2] = fleet.printers.map((p) => p.serialNumber);
  await signIn(page, base, ADMIN_PASSWORD);

  await page.goto(`${base}/#/devices`);
  await page.getByLabel(`Select ${p0}`).check();
  await page.getByLabel(`Select ${p1}`).check();
  await page.getByTestId('bulk-actions').getByText('2 selected').waitFor();
  await page.getByTestId('bulk-actions').getByRole('button', { name: 'Remediate' }).click();
  await page.getByText(/remediate: 2 done \(task /).waitFor();
  await page.locator(`tr[data-serial="${p1}"]`).getByText('remediated').waitFor({ timeout: 20_000 });
  await page.locator(`tr[data-serial="${p0}"]`).getByText('remediated').waitFor({ timeout: 20_000 });
  t.is(await page.locator(`tr[data-serial="${p2}"]`).getByText('remediated').count(), 0, 'the unselected printer was left alone');
  await page.getByLabel(`Select ${p2}`).check();
  await page.getByLabel(`Select ${p1}`).uncheck();
  await page.getByTestId('bulk-actions').getByRole('button', { name: 'Retire' }).click();
  await page.getByText('retire: 2 done.').waitFor();
  await page.locator(`tr[data-serial="${p2}"]`).getByText('retired').waitFor();
  t.truthy(h.appliance.registry.get(p0)?.retired);
  await screenshot(page, shotPath('devices-bulk.png'));

  await page.goto(`${base}/#/reports`);
  await page.getByRole('button', { name: 'Show' }).click();
  await page.getByTestId('report-changes').waitFor();
  t.is(await page.getByTestId('report-changes').locator('tbody tr').count(), 2);
  await screenshot(page, shotPath('reports.png'));
  const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-pdf').click()]);
  const { readFileSync } = await import('node:fs');
  const bytes = readFileSync((await pdf.path())!);
  t.is(bytes.subarray(0, 5).toString(), '%PDF-');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('report-csv').click()]);
  t.regex(csv.suggestedFilename(), /^compliance-.*-devices\.csv$/);
  t.true(readFileSync((await csv.path())!, 'utf8').includes(p0));
  // A period in the future is refused with the reason shown.
  await page.getByLabel('From').fill('2099-01-01');
  await page.getByLabel('To').fill('2099-01-02');
  await page.getByRole('button', { name: 'Show' }).click();
  await page.getByRole('alert').getByText(/future/).waitFor();
  t.deepEqual(errors, []);
});

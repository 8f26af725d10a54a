// The Groups screen in a real browser (Debian's Chromium): create an autogroup with a filter, see the live
// preview, give it a policy, announce a matching printer (a real SNMP agent), watch it join the group and
// turn compliant with the group policy; the device page names the group and why its policy applies.
import test from 'ava';
import { startTestAppliance, api, login, ADMIN_PASSWORD } from '../fakes/appliance.ts';
import { SimPrinter } from '../../appliance/src/sim/printer.ts';
import { ensureWebBuilt } from '../../scripts/build-web.ts';
import { haveChromium, openBrowser, signIn, screenshot, shotPath } from './web-browser.ts';

test('autogroup with a filter, live preview, a policy; a matching printer joins and turns compliant with it', async (t) => {
  if (!haveChromium()) { t.fail('chromium is not installed (scripts/setup.sh installs it)'); return; }
  await ensureWebBuilt();
  const h = await startTestAppliance({ env: { INSTANT_ON_SNMP_TIMEOUT_MS: '1500' } });
  const printer = (index: number) => new SimPrinter({ index, serialPrefix: 'GUI', resolveTarget: async () => ({ host: '127.0.0.1', port: h.appliance.announcePort }) });
  const known = printer(8701);
  const newcomer = printer(8702);
  const outsider = new SimPrinter({ index: 8703, serialPrefix: 'OUT', resolveTarget: async () => ({ host: '127.0.0.1', port: h.appliance.announcePort }) });
  for (const p of [known, newcomer, outsider]) await p.startAgent();
  const b = await openBrowser();
  t.teardown(async () => { await b.close(); for (const p of [known, newcomer, outsider]) await p.stop(); await h.stop(); });
  const errors: string[] = [];
  b.page.on('pageerror', (e) => errors.push(e.message));
  const web = h.appliance.webPort;
  const token = await login(web);
  const call = async (method: string, path: string, body?: unknown) => { const r = await api(web, method, path, { token, body }); t.true(r.status < 300, JSON.stringify(r.body)); return r.body; };
  await call('PUT', '/api/v1/credentials/default', { version: '2c', readCommunity: 'public', writeCommunity: 'private' });
  const initial = await call('POST', '/api/v1/policies', { name: 'Initial', settings: { telnet: false } });
  await call('POST', '/api/v1/policies', { name: 'Kiosk lockdown', settings: { ftp: 'off', 'sys-location': 'Lobby kiosk' } });
  await call('PUT', '/api/v1/instant-on', { allowAutomaticRemediation: true, initialPolicyId: initial.id });
  t.is(await known.boot(), 'Success');
  t.is(await outsider.boot(), 'Success');

  const base = `https://127.0.0.1:${web}`;
  const page = b.page;
  await signIn(page, base, ADMIN_PASSWORD);
  await page.getByRole('link', { name: 'Groups', exact: true }).click();
  await page.getByTestId('new-group').click();
  await page.getByLabel('Name', { exact: true }).fill('Lobby kiosks');
  await page.getByLabel('Priority').fill('50');
  const row = page.getByTestId('condition').first();
  await row.getByLabel('Field').selectOption('serial');
  await row.getByLabel('Operator').selectOption('prefix');
  await row.getByLabel('Value').fill('GUI');
  // The preview follows the filter: the one GUI printer known so far, not the outsider.
  await page.getByTestId('preview-count').getByText('1', { exact: true }).waitFor();
  await page.getByTestId('preview').getByText(known.serialNumber).waitFor();
  t.false((await page.getByTestId('preview').textContent())!.includes(outsider.serialNumber));
  await page.getByLabel('Policy').selectOption({ label: 'Kiosk lockdown' });
  await screenshot(page, shotPath('group-editor.png'));
  await page.getByTestId('save-group').click();
  await page.getByTestId('members-table').getByText(known.serialNumber).waitFor();

  // A matching printer announces: it joins (live) and is remediated with the initial, then the group policy.
  t.is(await newcomer.boot(), 'Success');
  const members = page.getByTestId('members-table');
  await members.locator('tr', { hasText: newcomer.serialNumber }).waitFor({ timeout: 20_000 });
  await members.locator('tr', { hasText: newcomer.serialNumber }).locator('.badge.ok').waitFor({ timeout: 20_000 });
  t.like(newcomer.agent!.values(), { telnet: false, ftp: 'off', 'sys-location': 'Lobby kiosk' });
  t.like(outsider.agent!.values(), { ftp: 'on', 'sys-location': '' });

  await members.getByRole('link', { name: newcomer.serialNumber }).click();
  await page.getByTestId('device-groups').getByText('Lobby kiosks').waitFor();
  t.regex((await page.getByTestId('group-policy').textContent())!, /Group policy: Kiosk lockdown from Lobby kiosks — "Lobby kiosks" is the only one/);
  await page.locator('.card', { hasText: 'Compliance' }).getByText('Kiosk lockdown').first().waitFor();
  await screenshot(page, shotPath('device-groups.png'));

  // The trigger settings sit on the Instant-On screen, each with its sentence.
  await page.getByRole('link', { name: 'Instant-On', exact: true }).click();
  const triggers = page.getByTestId('trigger-form');
  await triggers.getByText('B — Remediate on discovery').waitFor();
  await triggers.getByLabel(/D — Remediate on edit/).check();
  await page.getByTestId('save-triggers').click();
  await triggers.getByText('Saved.').waitFor();
  t.is((await call('GET', '/api/v1/settings')).settings.find((s: any) => s.key === 'autoGroupEditAutoRemediationEnable').value, true);
  t.deepEqual(errors, []);
});

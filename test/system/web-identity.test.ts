// The device page shows where SNMP goes, a claimed-address mismatch and an identity change, and its button
// approves the new identity (Chromium against a real appliance; announcements over real TLS on 3329).
import test from 'ava';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startTestAppliance, api, login, ADMIN_PASSWORD } from '../fakes/appliance.ts';
import { announce, newAnnouncement } from '../../appliance/src/sim/daa-client.ts';
import { ensureWebBuilt } from '../../scripts/build-web.ts';
import { haveChromium, openBrowser, settled, signIn, screenshot, shotPath } from './web-browser.ts';

const exec = promisify(execFile);

test('device page: SNMP target, claimed-address mismatch, identity changed and its approval', async (t) => {
  if (!haveChromium()) { t.fail('chromium is not installed (scripts/setup.sh installs it)'); return; }
  await ensureWebBuilt();
  const dir = await mkdtemp(join(tmpdir(), 'ioe-webid-'));
  await exec('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-subj', '/CN=NPI777 printer', '-days', '30',
    '-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')]);
  const h = await startTestAppliance({ env: { INSTANT_ON_STRICT_DEVICE_IDENTITY: 'true' } });
  const b = await openBrowser({ width: 1200, height: 900 });
  t.teardown(async () => { await b.close(); await h.stop(); await rm(dir, { recursive: true, force: true }); });
  const port = h.appliance.announcePort;
  const device = { serialNumber: 'WEBID777', macAddress: '02:00:00:00:07:77', model: 'HP LaserJet Enterprise M611dn', ipv4: '10.77.0.7', snmpPort: 161 };
  // The printer, with its self-signed certificate, from 127.0.0.1 while its body claims 10.77.0.7.
  const printer = { key: await readFile(join(dir, 'key.pem'), 'utf8'), cert: await readFile(join(dir, 'cert.pem'), 'utf8') };
  t.is((await announce({ host: '127.0.0.1', port, localAddress: '127.0.0.1', ...printer }, newAnnouncement(device, 'initial-boot'))).status, 'accepted');
  // Someone else announces the same serial from another address, without the certificate.
  t.is((await announce({ host: '127.0.0.1', port, localAddress: '127.0.254.7' }, newAnnouncement(device, 'ip-change'))).status, 'accepted');

  const page = b.page;
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const web = h.appliance.webPort;
  await signIn(page, `https://127.0.0.1:${web}`, ADMIN_PASSWORD);
  await page.goto(`https://127.0.0.1:${web}/#/devices/${device.serialNumber}`);
  await page.locator('.page-head h1').waitFor();
  await settled(page);
  t.is((await page.getByTestId('snmp-target').innerText()).trim(), '127.0.254.7');
  const mismatch = await page.getByTestId('address-mismatch').innerText();
  t.regex(mismatch, /10\.77\.0\.7/);
  t.regex(mismatch, /127\.0\.254\.7/);
  t.regex(await page.getByTestId('identity-changed').innerText(), /identity changed — SNMP held/);
  const identity = await page.getByTestId('identity').innerText();
  t.regex(identity, /none presented/);
  t.regex(identity, /CN=NPI777 printer \(self-signed\)/, 'the certificate on record is shown');
  await screenshot(page, shotPath('device-identity.png'));

  await page.getByTestId('approve-identity').click();
  await page.getByText('The presented certificate is now the identity on record.').waitFor();
  await page.getByTestId('identity-changed').waitFor({ state: 'detached' });
  const token = await login(web);
  const view = (await api(web, 'GET', `/api/v1/devices/${device.serialNumber}/identity`, { token })).body;
  t.false(view.pending);
  t.like(view.approved, { by: 'admin' });
  t.deepEqual(errors, []);
});

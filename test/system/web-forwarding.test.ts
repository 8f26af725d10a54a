// Forwarding errors in words (issue 17 §5): a secondary listener that refuses connections shows its last
// error with the message on the Forwarding screen, raises the forward-listener-failing alert, and the
// dashboard lists it once under its kind. In Chromium against a real appliance; the "listener" is a closed
// loopback port.
import test from 'ava';
import { startTestAppliance, api, login, ADMIN_PASSWORD, waitFor } from '../fakes/appliance.ts';
import { frameBytes, sampleAnnouncement, sendRaw } from '../fakes/hdap-raw-client.ts';
import { freePort } from '../fakes/ports.ts';
import { ensureWebBuilt } from '../../scripts/build-web.ts';
import { haveChromium, openBrowser, settled, signIn } from './web-browser.ts';

test('a failing secondary listener: its error message on the Forwarding screen, an alert, one dashboard line', async (t) => {
  if (!haveChromium()) { t.fail('chromium is not installed (scripts/setup.sh installs it)'); return; }
  await ensureWebBuilt();
  const h = await startTestAppliance({ cli: { forwardRetryBaseMs: 20, forwardRetryMaxMs: 100, forwardTimeoutMs: 1000 } });
  const b = await openBrowser();
  t.teardown(async () => { await b.close(); await h.stop(); });
  const web = h.appliance.webPort;
  const token = await login(web);
  const closed = await freePort();
  t.is((await api(web, 'POST', '/api/v1/listeners', { token, body: { host: '127.0.0.1', port: closed, validateIdentityCertificate: false, name: 'Central IT' } })).status, 201);
  t.is((await sendRaw(h.appliance.announcePort, frameBytes(sampleAnnouncement('FWDERR01')))).acks[0]?.status, 'accepted');
  await waitFor(async () => (await api(web, 'GET', '/api/v1/listeners', { token })).body.listeners[0].status.consecutiveFailures >= 3, 20_000);
  await api(web, 'POST', '/api/v1/alerts/check', { token });

  const page = b.page;
  await signIn(page, `https://127.0.0.1:${web}`, ADMIN_PASSWORD);
  const line = page.locator('[data-testid=alert-lines] li[data-kind="forward-listener-failing"]');
  await line.waitFor();
  t.regex(await line.innerText(), /Secondary listener failing: 1/);

  await page.goto(`https://127.0.0.1:${web}/#/forwarding`);
  await settled(page);
  const error = page.getByTestId('last-error');
  await error.waitFor();
  const text = await error.innerText();
  t.regex(text, /ECONNREFUSED|refused/i, `the message is shown, not a blank: ${text}`);
  t.regex(text, /\d+ failure\(s\) in a row/);
  t.regex(await page.getByTestId('forward-alert').innerText(), new RegExp(`relays to 127\\.0\\.0\\.1:${closed} failed \\d+ times in a row`));
});

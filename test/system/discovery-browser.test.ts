// Issue 14, the Chromium test: on the Discovery screen an admin adds a range, watches the sweep's progress
// live, and opens a printer it found (three silent simulated printers on port 161 of their own addresses).
import test from 'ava';
import { startTestAppliance, api, login, ADMIN_PASSWORD } from '../fakes/appliance.ts';
import { Fleet } from '../../appliance/src/sim/fleet.ts';
import { ensureWebBuilt } from '../../scripts/build-web.ts';
import { haveChromium, openBrowser, signIn, screenshot, shotPath, settled } from './web-browser.ts';

const isRoot = process.getuid?.() === 0;

test('Discovery screen: add a range, watch progress, open a found printer', async (t) => {
  if (!haveChromium()) { t.fail('chromium is not installed (scripts/setup.sh installs it)'); return; }
  if (!isRoot) { t.fail('port 161 needs root (CI runs the tests as root)'); return; }
  await ensureWebBuilt();
  const s = 100 + Math.floor(Math.random() * 100);
  const third = Math.floor(Math.random() * 256);
  const fleet = new Fleet({ count: 3, serialPrefix: 'WDS', firstIndex: 7600, address: (i) => `127.${s}.${third}.${10 + i}`, resolveTarget: async () => { throw new Error('silent'); } });
  await fleet.startAgents({ port: 161 });
  // A slow sweep (20 addresses a second over a /27) so the progress can be seen moving.
  const h = await startTestAppliance({ env: { INSTANT_ON_DISCOVERY_TIMEOUT_MS: '300', INSTANT_ON_DISCOVERY_RETRIES: '1', INSTANT_ON_DISCOVERY_RATE: '20', INSTANT_ON_DISCOVERY_CONCURRENCY: '8' } });
  const b = await openBrowser();
  t.teardown(async () => { await b.close(); await h.stop(); await fleet.stop(); });
  const errors: string[] = [];
  b.page.on('pageerror', (e) => errors.push(e.message));
  const web = h.appliance.webPort;
  await api(web, 'PUT', '/api/v1/credentials/default', { token: await login(web), body: { version: '2c', readCommunity: 'public', writeCommunity: 'private' } });

  const base = `https://127.0.0.1:${web}`;
  const page = b.page;
  await signIn(page, base, ADMIN_PASSWORD);
  await page.getByRole('link', { name: 'Discovery' }).click();
  await page.getByText('No discovery yet.').waitFor();

  // A malformed range is refused on the page with the API's words, and nothing starts.
  await page.getByTestId('discovery-targets').fill(`127.${s}.${third}.0/33`);
  await page.getByTestId('start-discovery').click();
  await page.getByRole('alert').getByText('prefix length must be 0–32').waitFor();
  t.is(h.appliance.tasks.list({ type: 'discovery' }).length, 0);

  await page.getByTestId('discovery-targets').fill(`127.${s}.${third}.0/27`);
  await page.getByTestId('start-discovery').click();
  await page.getByText('Started: 30 addresses to probe.').waitFor();
  const job = page.getByTestId('discovery-task').first();
  // Progress moves while it runs (live events), then the job is done with its counts.
  await page.waitForFunction(() => {
    const li = (globalThis as any).document.querySelector('[data-testid=discovery-task][data-state=running]');
    const bar = li?.querySelector('[role=progressbar]');
    return bar && Number(bar.getAttribute('aria-valuenow')) > 0 && Number(bar.getAttribute('aria-valuenow')) < 100;
  }, undefined, { timeout: 15_000 });
  await screenshot(page, shotPath('discovery-running.png'));
  await page.locator('[data-testid=discovery-task][data-state=done]').waitFor({ timeout: 20_000 });
  t.is(await job.locator('[data-count=found] strong').textContent(), '3');
  t.is(await job.locator('[data-count=new] strong').textContent(), '3');
  t.is(await job.locator('[data-count=noAnswer] strong').textContent(), '27');
  t.regex((await job.getByRole('progressbar').textContent())!, /30\/30 addresses/);

  // The job just started is open; its details fold away and back.
  await job.getByRole('button', { name: 'Hide' }).click();
  await job.getByRole('button', { name: 'Details' }).click();
  const found = page.getByTestId('found-printers');
  await found.waitFor();
  t.deepEqual((await found.getByRole('link').allTextContents()).sort(), fleet.printers.map((p) => p.serialNumber));
  await settled(page);
  await screenshot(page, shotPath('discovery.png'));
  const first = fleet.printers[0];
  await found.getByRole('link', { name: first.serialNumber }).click();
  await page.waitForURL(new RegExp(`#/devices/${first.serialNumber}$`));
  const foundBy = page.getByTestId('found-by');
  await foundBy.getByText('Discovery').waitFor();
  t.regex((await page.textContent('main'))!, new RegExp(first.model));
  t.regex((await page.textContent('main'))!, /never announced/);
  t.deepEqual(errors, []);
});

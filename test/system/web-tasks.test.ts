// Tasks that tell the truth, in Chromium against 200 simulated printers with real SNMP agents (issue 17):
// an assessment started on the Tasks screen and cancelled there stops within one device's time — no device
// starts after the cancel, the ones under way finish — and the parent shows cancelled. Then the keyboard
// alone opens a task row and an audit row (Tab to the row's button, Enter).
import test from 'ava';
import type { Page } from 'playwright-core';
import { startTestAppliance, api, login, ADMIN_PASSWORD, waitFor } from '../fakes/appliance.ts';
import { Fleet } from '../../appliance/src/sim/fleet.ts';
import { ensureWebBuilt } from '../../scripts/build-web.ts';
import { haveChromium, openBrowser, settled, signIn } from './web-browser.ts';

// The page's DOM as far as these tests reach into it (test files are type-checked without the DOM library).
interface El { id: string; matches(s: string): boolean; closest(s: string): El | null; getAttribute(n: string): string | null; remove(): void }
declare const document: { activeElement: El | null; getElementById(id: string): El | null; createElement(tag: string): El; body: { append(e: El): void };
  documentElement: { scrollWidth: number } };

const N = 200;
const DELAY_MS = 300; // per SNMP reply: a remediation is GET, SET, GET, about 1 s per device

/** Presses Tab until the focused element matches `selector` (at most `max` presses); answers how many it took. */
async function tabTo(page: Page, selector: string, max = 80): Promise<number> {
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((sel) => document.activeElement?.matches(sel) ?? false, selector)) return i;
  }
  throw new Error(`${selector} not reached with ${max} presses of Tab`);
}

test('cancelling an assessment of 200 printers stops within one device\'s time and the parent shows cancelled; rows open by keyboard', async (t) => {
  if (!haveChromium()) { t.fail('chromium is not installed (scripts/setup.sh installs it)'); return; }
  await ensureWebBuilt();
  const h = await startTestAppliance({ cli: { maxConcurrentDevices: 10, maxNumberTasks: 4 }, env: { INSTANT_ON_SNMP_TIMEOUT_MS: '4000' } });
  const fleet = new Fleet({ count: N, serialPrefix: 'CXL', firstIndex: 9100, resolveTarget: async () => ({ host: '127.0.0.1', port: h.appliance.announcePort }) });
  await fleet.startAgents({ port: 0, readCommunity: 'public', writeCommunity: 'private', delayMs: DELAY_MS });
  const b = await openBrowser({ width: 1280, height: 900 });
  t.teardown(async () => { await b.close(); await fleet.stop(); await h.stop(); });
  const web = h.appliance.webPort;
  const token = await login(web);
  await api(web, 'PUT', '/api/v1/credentials/default', { token, body: { version: '2c', readCommunity: 'public', writeCommunity: 'private' } });
  const policyId = (await api(web, 'POST', '/api/v1/policies', { token, body: { name: 'Cancel me', settings: { telnet: false, 'sys-location': 'Cancelled HQ' } } })).body.id;
  const acks = await fleet.announceAll('initial-boot', { concurrency: 50 });
  t.is(acks.Success, N);

  // One device's time, measured on this machine: a single assessment with remediation.
  const one = Date.now();
  const probe = (await api(web, 'POST', `/api/v1/devices/${fleet.printers[0].serialNumber}/assess`, { token, body: { policyId, remediate: true } })).body.taskId;
  await waitFor(() => h.appliance.tasks.get(probe)?.state === 'done', 30_000, 20);
  const deviceMs = Date.now() - one;
  t.log(`one device: ${deviceMs} ms (SNMP replies delayed ${DELAY_MS} ms)`);

  const page = b.page;
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await signIn(page, `https://127.0.0.1:${web}`, ADMIN_PASSWORD);
  await page.goto(`https://127.0.0.1:${web}/#/tasks`);
  await settled(page);
  const start = page.locator('form', { has: page.getByRole('button', { name: 'Assess all devices' }) });
  await start.getByRole('combobox', { name: 'Policy' }).selectOption({ label: 'Cancel me' });
  await start.getByLabel('remediate').check();
  await start.getByRole('button', { name: 'Assess all devices' }).click();
  const doneText = await page.getByText(/^Started task /).textContent();
  const parentId = /Started task (\S+)\./.exec(doneText ?? '')![1];
  const row = page.locator(`[data-testid=tasks-table] tr[data-task="${parentId}"]`);
  await row.waitFor();
  // Let it get going: some devices finished, some under way, most not started.
  await waitFor(() => Object.keys(h.appliance.tasks.get(parentId)?.outcomes ?? {}).length + (h.appliance.tasks.stats().devicesInFlight) >= 15, 60_000, 20);
  await waitFor(async () => (await row.innerText()).includes('running'), 10_000);

  const clicked = Date.now();
  const startedBefore = new Set(fleet.printers.filter((p) => p.agent!.values()['sys-location'] === 'Cancelled HQ').map((p) => p.serialNumber));
  await row.getByRole('button', { name: 'Cancel' }).click();
  await waitFor(() => h.appliance.tasks.stats().devicesInFlight === 0, 30_000, 10);
  const stoppedMs = Date.now() - clicked;
  t.log(`cancel clicked: the last device under way finished ${stoppedMs} ms later (one device: ${deviceMs} ms)`);
  t.true(stoppedMs <= deviceMs + 1500, `stopped ${stoppedMs} ms after the click; one device takes ${deviceMs} ms`);

  // Nothing starts afterwards: the printers' own settings stay as they were for a few devices' time more.
  // (The last results are written after their devices leave the SNMP slots: wait for the parent to say
  // cancelled and the store to have nothing queued before counting.)
  const results = () => Object.keys(h.appliance.tasks.get(parentId)!.outcomes).length;
  await waitFor(() => h.appliance.tasks.get(parentId)!.state === 'cancelled' && h.appliance.store.commitStats().queued === 0, 10_000, 10);
  const after = results();
  await new Promise((r) => setTimeout(r, 3 * deviceMs));
  t.is(results(), after, 'no device finished after the cancel settled');
  const changed = fleet.printers.filter((p) => p.agent!.values()['sys-location'] === 'Cancelled HQ').length;
  t.true(changed < N / 2, `${changed} of ${N} printers were changed (the rest never started)`);
  t.true(changed >= startedBefore.size, 'the devices under way finished their step');
  t.is(h.appliance.tasks.get(parentId)!.state, 'cancelled');
  t.log(`${after} device results recorded, ${N - after} devices never started`);

  // The page says so: the parent row shows cancelled (it is no longer active: the filter shows all states).
  await page.getByRole('combobox', { name: 'State' }).selectOption({ label: 'All states' });
  await waitFor(async () => (await row.innerText()).includes('cancelled'), 10_000);
  t.regex(await row.innerText(), new RegExp(`${after}/${N}`));

  // Keyboard only: from the search box, Tab reaches the parent row's button; Enter opens its details.
  await page.getByRole('searchbox', { name: 'Search tasks' }).focus();
  const presses = await tabTo(page, `tr[data-task="${parentId}"] button.row-toggle`);
  t.log(`task row reached with ${presses} Tab presses`);
  await page.keyboard.press('Enter');
  await page.locator(`#task-${parentId}`).getByText(/Devices finished/).waitFor();
  t.is(await row.locator('button.row-toggle').getAttribute('aria-expanded'), 'true');
  await page.keyboard.press('Space');
  await waitFor(async () => (await page.locator(`#task-${parentId}`).count()) === 0, 5000);

  await page.goto(`https://127.0.0.1:${web}/#/audit`);
  await settled(page);
  await page.getByRole('searchbox', { name: 'Search the audit log' }).focus();
  await tabTo(page, '[data-testid=audit-table] button.row-toggle');
  const entryId = await page.evaluate(() => document.activeElement!.closest('tr')!.getAttribute('data-entry'));
  // Times carry their zone (the test browser runs in UTC).
  t.regex(await page.locator(`[data-testid=audit-table] tr[data-entry="${entryId}"] time`).innerText(), /UTC|GMT/);
  await page.keyboard.press('Enter');
  const detail = page.locator(`[id="audit-${entryId}"]`);
  await detail.waitFor();
  t.regex(await detail.innerText(), /Request|After|Before|Nothing more/);

  // Schedules: made and edited on the page; "every 5 seconds" and a start in the past are refused in words
  // next to their field, and the list shows the schedule by name on the tasks it starts.
  await page.goto(`https://127.0.0.1:${web}/#/tasks`);
  await settled(page);
  const add = page.getByTestId('schedule-add');
  await add.getByLabel('Name').fill('Nightly check');
  await add.getByLabel('Repeat').selectOption('every');
  await add.getByLabel('Every (days:hours:minutes:seconds)').fill('0:0:0:5');
  await add.getByRole('button', { name: 'Add schedule' }).click();
  await add.locator('.field-error').getByText(/at least 300 s apart/).waitFor();
  await add.getByLabel('Every (days:hours:minutes:seconds)').fill('1:0:0:0');
  await add.getByRole('button', { name: 'Add schedule' }).click();
  await page.getByText('Scheduled.').waitFor();
  const item = page.locator('[data-testid=schedules] li', { hasText: 'Nightly check' });
  await item.getByRole('button', { name: 'Edit' }).click();
  const edit = item.getByTestId('schedule-edit');
  await edit.getByLabel(/^First run/).fill('2020-01-01T08:00');
  await edit.getByRole('button', { name: 'Save schedule' }).click();
  await edit.locator('.field-error').getByText(/in the past/).waitFor();
  await edit.getByLabel('Name').fill('Nightly check, renamed');
  await edit.getByLabel(/^First run/).fill('');
  await edit.getByRole('button', { name: 'Save schedule' }).click();
  await page.locator('[data-testid=schedules] li', { hasText: 'Nightly check, renamed' }).waitFor();
  t.deepEqual(errors, []);
});

// The admin page at fleet size and for every hand (issue 17, "What it must show"), in Chromium against a
// real appliance: 10,000 devices load their first page in under a second and a serial search finds one;
// enabling the serial filter with managed printers off the list warns and offers to add them; the 390 px
// navigation reaches every screen; tasks and audit rows open from the keyboard alone; axe-core finds no
// serious or critical problem on any screen, in light and dark mode.
import test from 'ava';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';
import { startTestAppliance, api, login, ADMIN_PASSWORD, waitFor } from '../fakes/appliance.ts';
import { sampleAnnouncement } from '../fakes/hdap-raw-client.ts';
import { announcementSchema } from '../../appliance/src/protocol/messages.ts';
import { ensureWebBuilt } from '../../scripts/build-web.ts';
import { haveChromium, openBrowser, settled, signIn } from './web-browser.ts';

// The page's DOM as far as these tests reach into it (test files are type-checked without the DOM library).
interface El { id: string; matches(s: string): boolean; closest(s: string): El | null; getAttribute(n: string): string | null; remove(): void }
declare function getComputedStyle(e: never): { fontSize: string };
declare const document: { activeElement: El | null; getElementById(id: string): El | null; createElement(tag: string): El; body: { append(e: El): void };
  documentElement: { scrollWidth: number } };

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
const SCREENS = ['dashboard', 'devices', 'discovery', 'policies', 'policies/new', 'groups', 'instant-on', 'credentials', 'tasks', 'dns', 'certificates',
  'forwarding', 'reports', 'alerts', 'audit', 'tokens', 'backup', 'settings', 'password'];

async function addDevices(h: Awaited<ReturnType<typeof startTestAppliance>>, n: number, prefix: string) {
  const serials: string[] = [];
  for (let i = 0; i < n; i += 500) {
    await Promise.all(Array.from({ length: Math.min(500, n - i) }, (_, j) => {
      const k = i + j;
      const serial = `${prefix}${String(k).padStart(6, '0')}`;
      serials.push(serial);
      const ann = sampleAnnouncement(serial);
      ann.device = { ...ann.device, macAddress: `02:00:00:${((k >> 16) & 255).toString(16).padStart(2, '0')}:${((k >> 8) & 255).toString(16).padStart(2, '0')}:${(k & 255).toString(16).padStart(2, '0')}`,
        ipv4: `10.${(k >> 16) & 255}.${(k >> 8) & 255}.${k & 255}`, hostname: `npi-${k}` };
      return h.appliance.registry.record(announcementSchema.parse(ann), { address: '127.0.0.1', authMethod: 'anonymous' });
    }));
  }
  return serials;
}

/** Runs axe-core in the page; answers the serious and critical violations (each with where it is) and how many rules passed. */
async function axe(page: Page): Promise<{ problems: string[]; passed: number; minor: number }> {
  // Evaluated through the debugging protocol: the page's own CSP (script-src 'self') rightly refuses an injected <script>.
  if (!(await page.evaluate(() => 'axe' in globalThis))) await page.evaluate(AXE_SOURCE);
  return page.evaluate(async () => {
    type Result = { violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[]; passes: unknown[] };
    const r = await (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<Result> } }).axe.run(document, {});
    const bad = r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    return { problems: bad.map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 4).map((n) => n.target.join(' ')).join(' | ')}`),
      passed: r.passes.length, minor: r.violations.length - bad.length };
  });
}

test('10,000 devices: first page in under 1 s, a serial search shows it; 390 px navigation; axe-core on every screen', async (t) => {
  if (!haveChromium()) { t.fail('chromium is not installed (scripts/setup.sh installs it)'); return; }
  await ensureWebBuilt();
  const h = await startTestAppliance();
  const b = await openBrowser({ width: 1280, height: 860 });
  t.teardown(async () => { await b.close(); await h.stop(); });
  const started = Date.now();
  const serials = await addDevices(h, 10_000, 'FLT');
  t.log(`10,000 devices recorded in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const page = b.page;
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const base = `https://127.0.0.1:${h.appliance.webPort}`;
  await signIn(page, base, ADMIN_PASSWORD);
  await page.getByTestId('device-count').getByText('10,000').waitFor();

  // The devices screen asks for one page: from the click to 50 rows on screen.
  // Chart words are the page's size, not SVG text scaled down with the card (they were 9 px).
  await page.locator('[data-testid=announcements-chart] .chart-axis span').first().waitFor();
  const axisPx = await page.locator('[data-testid=announcements-chart] .chart-axis span').first().evaluate((e) => parseFloat(getComputedStyle(e as never).fontSize));
  t.true(axisPx >= 12, `chart labels are ${axisPx} px`);

  const t0 = Date.now();
  await page.getByRole('navigation').getByRole('link', { name: 'Devices', exact: true }).click();
  await page.locator('[data-testid=devices-table] tbody tr').nth(49).waitFor();
  const firstPage = Date.now() - t0;
  t.log(`devices screen: first page of 50 shown ${firstPage} ms after the click`);
  t.true(firstPage < 1000, `first page took ${firstPage} ms`);
  t.is(await page.locator('[data-testid=devices-table] tbody tr').count(), 50);
  t.regex(await page.getByTestId('pager-status').innerText(), /50 shown of 10,000 devices/);

  const wanted = serials[7321];
  const t1 = Date.now();
  await page.getByTestId('device-search').fill(wanted.toLowerCase());
  await page.locator(`[data-testid=devices-table] tbody tr[data-serial="${wanted}"]`).waitFor();
  await waitFor(async () => (await page.locator('[data-testid=devices-table] tbody tr').count()) === 1, 5000);
  t.log(`search for ${wanted}: shown ${Date.now() - t1} ms after typing (250 ms of it waiting for the typing to stop)`);
  await page.getByTestId('device-search').fill('');
  await page.locator('[data-testid=devices-table] tbody tr').nth(49).waitFor();
  // The next page continues the order; going back returns the first exactly.
  const firstRows = await page.locator('[data-testid=devices-table] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-serial')));
  await page.getByRole('button', { name: 'Next →' }).click();
  await page.getByTestId('pager-status').getByText('Page 2').waitFor();
  await waitFor(async () => (await page.locator('[data-testid=devices-table] tbody tr').first().getAttribute('data-serial')) !== firstRows[0], 5000);
  const second = await page.locator('[data-testid=devices-table] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-serial')));
  t.is(new Set([...firstRows, ...second]).size, 100, 'no row on both pages');
  await page.getByRole('button', { name: '← Previous' }).click();
  await page.getByTestId('pager-status').getByText('Page 1').waitFor();
  await waitFor(async () => (await page.locator('[data-testid=devices-table] tbody tr').first().getAttribute('data-serial')) === firstRows[0], 5000);
  t.deepEqual(await page.locator('[data-testid=devices-table] tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-serial'))), firstRows);

  // 390 px: one menu button; behind it every screen, each reachable.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(`${base}/#/dashboard`);
  await page.locator('.page-head h1').waitFor();
  const nav = page.getByRole('navigation', { name: 'Screens' });
  t.false(await nav.isVisible(), 'the menu is folded on a phone');
  await page.getByTestId('menu-button').focus();
  await page.keyboard.press('Enter');
  const links = nav.getByRole('link');
  await links.first().waitFor();
  t.is(await page.getByTestId('menu-button').getAttribute('aria-expanded'), 'true');
  const count = await links.count();
  t.true(count >= 16, `${count} menu items`);
  for (let i = 0; i < count; i++) {
    const box = await links.nth(i).boundingBox();
    t.truthy(box && box.x >= 0 && box.x + box.width <= 390 && box.y + box.height <= 844 * 2, `menu item ${i} on screen: ${JSON.stringify(box)}`);
  }
  await links.filter({ hasText: 'Audit log' }).click();
  await page.locator('.page-head h1', { hasText: 'Audit log' }).waitFor();
  await nav.waitFor({ state: 'hidden', timeout: 5000 }); // choosing a screen closes the menu
  t.true(await page.evaluate(() => document.documentElement.scrollWidth <= 390), 'no sideways scrolling');

  // axe-core on every screen, light and dark, at desktop width.
  await page.setViewportSize({ width: 1280, height: 860 });
  const problems: string[] = [];
  for (const scheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme: scheme });
    for (const name of [...SCREENS, `devices/${serials[0]}`]) {
      await page.goto(`${base}/#/${name}`);
      await page.locator('.page-head h1').waitFor();
      await settled(page);
      const r = await axe(page);
      t.true(r.passed > 10, `${name}: axe ran (${r.passed} rules passed)`);
      if (r.minor) t.log(`${scheme} #/${name}: ${r.minor} moderate/minor finding(s)`);
      for (const v of r.problems) problems.push(`${scheme} #/${name}: ${v}`);
    }
  }
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(`${base}/`);
  await page.getByTestId('sign-out').click();
  await page.getByLabel('Password').waitFor();
  for (const v of (await axe(page)).problems) problems.push(`sign-in: ${v}`);
  // The check can fail: a button without a name is a critical finding.
  await page.evaluate(() => { const b = document.createElement('button'); b.id = 'nameless'; document.body.append(b); });
  t.true((await axe(page)).problems.some((p) => p.includes('button-name')), 'axe reports a nameless button');
  await page.evaluate(() => document.getElementById('nameless')?.remove());
  t.deepEqual(problems, [], 'no serious or critical accessibility problem');
  t.deepEqual(errors, [], 'no script error');
});

test('enabling the serial filter with managed printers off the list warns, names them and offers to add them', async (t) => {
  if (!haveChromium()) { t.fail('chromium is not installed (scripts/setup.sh installs it)'); return; }
  await ensureWebBuilt();
  const h = await startTestAppliance();
  const b = await openBrowser();
  t.teardown(async () => { await b.close(); await h.stop(); });
  const serials = await addDevices(h, 6, 'SFW');
  const token = await login(h.appliance.webPort);
  t.is((await api(h.appliance.webPort, 'POST', `/api/v1/serial-list/${serials[0]}`, { token })).status, 201);
  t.is((await api(h.appliance.webPort, 'POST', '/api/v1/serial-list', { token, text: 'NOTSEEN01\n' })).status, 200);
  const page = b.page;
  await signIn(page, `https://127.0.0.1:${h.appliance.webPort}`, ADMIN_PASSWORD);
  await page.goto(`https://127.0.0.1:${h.appliance.webPort}/#/instant-on`);
  await settled(page);
  // The list says plainly which listed serials are already in the device table.
  t.regex(await page.locator(`[data-testid=serial-chips] li[data-serial="${serials[0]}"]`).innerText(), /in the device table/);
  t.regex(await page.locator('[data-testid=serial-chips] li[data-serial="NOTSEEN01"]').innerText(), /not seen yet/);

  await page.locator('input[name=useSerialList]').check();
  const warning = page.getByTestId('serial-filter-warning');
  await warning.waitFor();
  t.regex(await warning.innerText(), /5 managed printer\(s\) are not on the serial-number list/);
  for (const s of serials.slice(1)) t.true(await warning.getByRole('link', { name: s }).isVisible(), `${s} named`);
  t.false(await warning.getByRole('link', { name: serials[0] }).isVisible().catch(() => false), 'a listed printer is not named');
  t.true(await page.getByTestId('save-instant-on').isDisabled(), 'a plain save is not offered while the warning stands');
  await page.getByTestId('add-managed').click();
  await page.getByText(/5 managed printer\(s\) added to the serial-number list/).waitFor();
  const list = (await api(h.appliance.webPort, 'GET', '/api/v1/serial-list', { token })).body;
  t.is(list.offList.count, 0);
  t.true(serials.every((s) => list.serials.some((x: { serial: string }) => x.serial === s)));
  t.true((await api(h.appliance.webPort, 'GET', '/api/v1/instant-on', { token })).body.useSerialList, 'the filter is on');

  // An import with a bad line is a warning naming the line, not a green success.
  await page.getByLabel(/Add serial numbers/).fill('GOODSERIAL1\nbad serial!\n');
  await page.getByRole('button', { name: 'Import' }).click();
  const report = page.getByTestId('import-report');
  await report.waitFor();
  t.regex(await report.getAttribute('class') ?? '', /\bwarn\b/);
  t.regex(await report.innerText(), /Imported with problems[\s\S]*line 2/);
});

// Debian's Chromium driven by playwright-core for the admin page tests: headless, isolated profile (a new
// empty user-data-dir per test), no network chatter of its own, self-signed appliance certificate accepted.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];

export function haveChromium(): boolean {
  try { return statSync(CHROMIUM).isFile(); } catch { return false; }
}

export async function openBrowser(opts: { width?: number; height?: number } = {}): Promise<{ context: BrowserContext; page: Page; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'ioe-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS, ignoreHTTPSErrors: true, acceptDownloads: true,
    viewport: { width: opts.width ?? 1280, height: opts.height ?? 860 }, deviceScaleFactor: 1, timeout: 30_000,
  });
  const page = context.pages()[0] ?? (await context.newPage());
  page.setDefaultTimeout(15_000);
  return {
    context, page,
    async close() {
      await context.close().catch(() => undefined);
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

export async function signIn(page: Page, base: string, password: string) {
  await page.goto(`${base}/`);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('sign-out').waitFor();
}

/**
 * Viewport only (not the full page) keeps the committed PNGs small; when refreshing the committed ones,
 * Debian's pngquant (if installed) cuts them to a 256-colour palette, about a third of the size.
 */
export async function screenshot(page: Page, file: string) {
  await page.screenshot({ path: file, fullPage: false, animations: 'disabled', caret: 'hide' });
  if (process.env.INSTANT_ON_SCREENSHOTS === '1') {
    try { execFileSync('pngquant', ['--force', '--skip-if-larger', '--strip', '--quality=60-90', '--output', file, file], { stdio: 'ignore' }); }
    catch { /* pngquant missing or could not do better: keep the plain PNG */ }
  }
}

/**
 * Where a screenshot goes: docs/screenshots/ when INSTANT_ON_SCREENSHOTS=1 (to refresh the committed ones),
 * else a temp folder, so ordinary test runs never dirty the tree.
 */
const shotDir = process.env.INSTANT_ON_SCREENSHOTS === '1'
  ? join(process.cwd(), 'docs/screenshots')
  : mkdtempSync(join(tmpdir(), 'ioe-shots-'));
export function shotPath(name: string): string {
  mkdirSync(shotDir, { recursive: true });
  return join(shotDir, name);
}

/** Waits until no screen part says "Loading…" (requests answered, first render done). */
export async function settled(page: Page, timeout = 20_000) {
  await page.waitForFunction(() => !(globalThis as any).document.body.innerText.includes('Loading…'), undefined, { timeout });
  await page.waitForTimeout(150);
}

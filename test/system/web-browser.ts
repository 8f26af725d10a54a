// Debian's Chromium driven by playwright-core for the admin page tests: headless, isolated profile (a new
// empty user-data-dir per test), no network chatter of its own, self-signed appliance certificate accepted.
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

/** Viewport only (not the full page) keeps the committed PNGs small. */
export async function screenshot(page: Page, file: string) {
  await page.screenshot({ path: file, fullPage: false, animations: 'disabled', caret: 'hide' });
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

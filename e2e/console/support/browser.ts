import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';

import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';

export const SCREENSHOTS = join(__dirname, '../screenshots');

/** Debian's Chromium with the flags this machine needs (STACK.md); never a downloaded browser. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

export interface WatchedPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and CSP violations seen so far. */
  problems: string[];
  /** Every request that left for another origin (there must be none). */
  foreignRequests: string[];
}

export async function openPage(browser: Browser, origin: string): Promise<WatchedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin });
  const page = await context.newPage();
  const problems: string[] = [];
  const foreignRequests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(error.message));
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!['http:', 'https:', 'ws:', 'wss:'].includes(url.protocol)) return;
    if (url.origin !== origin && url.host !== new URL(origin).host) foreignRequests.push(request.url());
  });
  return { context, page, problems, foreignRequests };
}

export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: false });
}

export async function storageKeys(page: Page): Promise<string[]> {
  return page.evaluate(() => Object.keys(localStorage).sort());
}

/**
 * The pages a spec opens, each checked after its test — no CSP violation or script error, nothing
 * fetched from another origin, and `extraCheck` when given — then closed. Registers the spec's
 * `afterEach`: call it once, at the top of a spec, and push every opened page into the result.
 */
export function checkedEachTest(extraCheck?: (watched: WatchedPage) => Promise<void>): WatchedPage[] {
  const pages: WatchedPage[] = [];
  afterEach(async () => {
    for (const watched of pages.splice(0)) {
      expect(watched.problems).toEqual([]);
      expect(watched.foreignRequests).toEqual([]);
      await extraCheck?.(watched);
      await watched.context.close();
    }
  });
  return pages;
}

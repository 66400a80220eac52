import { type Browser, chromium, type Page } from 'playwright-core';

/** Debian's Chromium (STACK.md); never a downloaded browser. */
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

/** Playwright's CSS engine pierces open shadow roots: `widget('.launcher')` finds it inside. */
export const widget = (selector: string) => `cloop-widget ${selector}`;

/** Waits until an element of the widget shows the text. */
export async function waitForText(
  page: Page,
  selector: string,
  text: string,
  timeout = 15_000,
): Promise<void> {
  await page.locator(widget(selector)).filter({ hasText: text }).first().waitFor({ timeout });
}

/** Everything this page's origin keeps: both storages and cookies. */
export function pageStorage(
  page: Page,
): Promise<{ local: Record<string, string>; session: Record<string, string>; cookie: string }> {
  return page.evaluate(() => ({
    local: Object.fromEntries(Object.entries(localStorage)),
    session: Object.fromEntries(Object.entries(sessionStorage)),
    cookie: document.cookie,
  }));
}

/** The element focused inside the widget's shadow root, described by its class or tag. */
export function focusedInWidget(page: Page): Promise<string | null> {
  return page.evaluate(() => {
    const active = document.querySelector('cloop-widget')?.shadowRoot?.activeElement;
    return active ? active.className || active.tagName.toLowerCase() : null;
  });
}

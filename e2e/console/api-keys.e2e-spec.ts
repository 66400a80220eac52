import type { Browser, Page } from 'playwright-core';

import { type Account, createAccount, createSiteFor, signIn } from './support/accounts';
import { checkedEachTest, launchChromium, openPage, screenshot } from './support/browser';
import { accessibilityViolations, layoutProblems } from './support/page-checks';
import { type RunningApp, startApp } from './support/server';
import { route } from '@cloop/client/route';

let app: RunningApp;
let browser: Browser;
const pages = checkedEachTest();

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

async function newPage(viewport?: { width: number; height: number }): Promise<Page> {
  const watched = await openPage(browser, app.origin);
  if (viewport) await watched.page.setViewportSize(viewport);
  pages.push(watched);
  return watched.page;
}

/** What the API answers to a request made with an API key. */
async function statusWithKey(secret: string, path: string): Promise<number> {
  return (await fetch(`${app.origin}${path}`, { headers: { Authorization: `Bearer ${secret}` } })).status;
}

/** Opens the API keys page from the team page, as a person would. */
async function openApiKeys(page: Page, account: Account): Promise<void> {
  await signIn(page, app.origin, account);
  await page.click('nav a[href="/console/team"]');
  await page.click('[data-testid=api-keys-link]');
  await page.waitForSelector('[data-testid=api-key-form]');
}

describe('the API keys page in Chromium', () => {
  it('creates a key with scopes, shows its secret once, and revokes it after a confirmation', async () => {
    const account = await createAccount(app.origin, 'Aino Admin');
    const site = await createSiteFor(app.origin, account, 'Northwind Outdoor');
    const page = await newPage();
    await openApiKeys(page, account);

    // Nothing to create before a scope is chosen.
    await page.fill('[data-testid=api-key-name]', 'CRM sync');
    await expect(page.isDisabled('[data-testid=api-key-create]')).resolves.toBe(true);
    await page.selectOption('[data-testid=api-key-scope-sites]', 'read');
    await page.selectOption('[data-testid=api-key-scope-conversations]', 'write');
    await page.selectOption('[data-testid=api-key-expiry]', '90');
    await page.click('[data-testid=api-key-create]');

    // The secret, once, with a warning and a copy button; it works against the API.
    await page.waitForSelector('[data-testid=api-key-secret]');
    const secret = ((await page.textContent('[data-testid=api-key-secret-value]')) ?? '').trim();
    expect(secret).toMatch(/^ck_[\w-]{43}$/);
    await page.click('[data-testid=api-key-secret] [data-testid=copy]');
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(secret);
    await expect(statusWithKey(secret, route('/api/v1/sites/{siteId}', { siteId: site.id }))).resolves.toBe(
      200,
    );
    await expect(
      statusWithKey(secret, route('/api/v1/sites/{siteId}/webhooks', { siteId: site.id })),
    ).resolves.toBe(403);
    await expect(accessibilityViolations(page)).resolves.toEqual([]);
    await screenshot(page, 'api-keys-secret');
    await page.click('[data-testid=api-key-secret-done]');
    await page.waitForSelector('[data-testid=api-key-secret]', { state: 'detached' });

    // Listed with its scopes, expiry and use, never with the secret, also after a reload.
    await page.reload();
    await page.waitForSelector('[data-testid=api-key-row]');
    const row = (await page.textContent('[data-testid=api-key-row]')) ?? '';
    expect(row).toContain('CRM sync');
    expect(row).toContain(secret.slice(0, 9));
    expect(row).toContain('Sites: Read');
    expect(row).toContain('Conversations: Read and write');
    expect(row).not.toContain('Not yet'); // it was used above
    expect(row).not.toContain('Never'); // it expires in 90 days
    expect(await page.content()).not.toContain(secret);

    // Revoking asks first: cancelling keeps the key, confirming ends it at once.
    await page.click('[data-testid=api-key-revoke]');
    await page.click('[data-testid=confirm-dialog][open] button:not([data-testid=confirm])');
    await expect(page.locator('[data-testid=api-key-row]').count()).resolves.toBe(1);
    await expect(statusWithKey(secret, route('/api/v1/sites/{siteId}', { siteId: site.id }))).resolves.toBe(
      200,
    );
    await page.click('[data-testid=api-key-revoke]');
    await page.click('[data-testid=confirm-dialog][open] [data-testid=confirm]');
    await page.waitForSelector('[data-testid=api-key-row]', { state: 'detached' });
    await expect(statusWithKey(secret, route('/api/v1/sites/{siteId}', { siteId: site.id }))).resolves.toBe(
      401,
    );
  });

  it.each([
    ['en', 'light'],
    ['en', 'dark'],
    ['fi', 'light'],
    ['fi', 'dark'],
  ] as const)('has no WCAG 2.2 A/AA violation and fits 390 px (%s, %s)', async (locale, theme) => {
    const account = await createAccount(app.origin, 'Aino Admin');
    await createSiteFor(app.origin, account, 'Northwind Outdoor');
    const page = await newPage({ width: 390, height: 844 });
    await page.addInitScript(
      ([l, t]) => {
        localStorage.setItem('cloop.locale', l);
        localStorage.setItem('cloop.theme', t);
      },
      [locale, theme],
    );
    await signIn(page, app.origin, account);
    await page.goto(`${app.origin}/console/api-keys`);
    await page.waitForSelector('[data-testid=api-key-form]');
    await page.fill('[data-testid=api-key-name]', 'Warehouse export');
    await page.selectOption('[data-testid=api-key-scope-privacy]', 'read');
    await page.click('[data-testid=api-key-create]');
    await page.waitForSelector('[data-testid=api-key-row]');
    await page.waitForSelector('[data-testid=api-key-secret]');
    await screenshot(page, `api-keys-${locale}-${theme}-390`);
    expect([...(await accessibilityViolations(page)), ...(await layoutProblems(page))]).toEqual([]);
    await page.click('[data-testid=api-key-secret-done]');
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(await accessibilityViolations(page)).toEqual([]);
  });
});

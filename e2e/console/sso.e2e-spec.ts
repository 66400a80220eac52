import type { SsoSettings } from '@cloop/contracts';
import type { Browser, Page } from 'playwright-core';

import { type Account, createAccount, signIn } from './support/accounts';
import { checkedEachTest, launchChromium, openPage, screenshot } from './support/browser';
import { startProvider, type RunningProvider } from './support/oidc-provider';
import { accessibilityViolations, layoutProblems } from './support/page-checks';
import { type RunningApp, startApp } from './support/server';

const DOMAIN = 'staff.example.test';

let app: RunningApp;
let browser: Browser;
let idp: RunningProvider;
const pages = checkedEachTest();

beforeAll(async () => {
  // Plain-http issuers (the loopback provider) are accepted only where private networks are.
  [app, browser] = await Promise.all([startApp({ CRAWL_ALLOW_PRIVATE_NETWORKS: 'true' }), launchChromium()]);
  idp = await startProvider(`${app.origin}/console/sso-callback`, {
    'ilona-42': { email: `ilona@${DOMAIN}`, name: 'Ilona Identity' },
  });
});

afterAll(async () => {
  await idp?.stop();
  await browser?.close();
  await app?.stop();
});

async function newPage(viewport?: { width: number; height: number }): Promise<Page> {
  const watched = await openPage(browser, app.origin);
  if (viewport) await watched.page.setViewportSize(viewport);
  pages.push(watched);
  return watched.page;
}

describe('single sign-on in Chromium', () => {
  it('lets an owner connect a provider (the secret never shown again), then staff sign in through it', async () => {
    const owner = await createAccount(app.origin, 'Olga Owner');
    const page = await newPage();
    await signIn(page, app.origin, owner);
    await page.click('nav a[href="/console/team"]');
    await page.click('[data-testid=sso-link]');
    await page.waitForSelector('[data-testid=sso-form]');
    await expect(page.textContent('[data-testid=sso-redirect-uri]')).resolves.toBe(
      `${app.origin}/console/sso-callback`,
    );
    await page.check('[data-testid=sso-enabled]');
    await page.fill('[data-testid=sso-issuer]', idp.issuer);
    await page.fill('[data-testid=sso-client-id]', idp.clientId);
    await page.fill('[data-testid=sso-client-secret]', idp.clientSecret);
    await page.fill('[data-testid=sso-domains]', DOMAIN);
    await page.click('[data-testid=sso-save]');
    await page.waitForSelector('[data-testid=sso-saved]');
    await page.reload();
    await page.waitForSelector('[data-testid=sso-secret-set]');
    await expect(page.inputValue('[data-testid=sso-client-secret]')).resolves.toBe('');
    expect(await page.content()).not.toContain(idp.clientSecret);
    await expect(accessibilityViolations(page)).resolves.toEqual([]);
    await expect(layoutProblems(page)).resolves.toEqual([]);
    await screenshot(page, 'sso-settings');
    const stored = (await (
      await fetch(`${app.origin}/api/v1/organizations/${owner.organizationId}/sso`, {
        headers: { Authorization: `Bearer ${owner.accessToken}` },
      })
    ).json()) as SsoSettings;
    expect(stored).toMatchObject({ enabled: true, clientSecretSet: true, allowedDomains: [DOMAIN] });

    // A new person signs in through the provider, in a browser of their own. Not a checked page:
    // its journey goes through the provider, another origin by design.
    const context = await browser.newContext();
    const staff = await context.newPage();
    try {
      await staff.goto(`${app.origin}/console/sign-in`);
      await staff.fill('[data-testid=sso-email]', `ilona@${DOMAIN}`);
      await screenshot(staff, 'sso-sign-in');
      await staff.click('[data-testid=sso-start]');
      await staff.waitForURL((url) => url.href.startsWith(idp.issuer));
      await staff.fill('input[name=login]', 'ilona-42');
      await staff.fill('input[name=password]', 'any');
      await staff.click('button[type=submit]');
      await staff.waitForSelector('input[name=prompt][value=consent]', { state: 'attached' });
      await staff.click('button[type=submit]');
      await staff.waitForURL(/\/console\/inbox/);
      // The provider's code and state are gone from the address bar; the session is the console's own.
      const stored = await staff.evaluate(() => Object.keys(localStorage));
      expect(stored.length).toBeGreaterThan(0);
      await staff.goto(`${app.origin}/console/account`);
      await expect(staff.waitForSelector(`text=ilona@${DOMAIN}`)).resolves.toBeTruthy();
    } finally {
      await context.close();
    }
  });

  it('tells the person when the provider sent them back with a state Cloop never issued', async () => {
    // Checked here rather than after the test: the API's refusal (401) is the expected console error.
    const watched = await openPage(browser, app.origin);
    const page = watched.page;
    try {
      await page.setViewportSize({ width: 390, height: 844 });
      await page.goto(`${app.origin}/console/sso-callback?code=made-up&state=made-up`);
      await page.waitForSelector('[data-testid=sso-callback-error]');
      expect(page.url()).toBe(`${app.origin}/console/sso-callback`);
      await expect(accessibilityViolations(page)).resolves.toEqual([]);
      await screenshot(page, 'sso-callback-error');
      expect(watched.problems.filter((problem) => !problem.includes('401 (Unauthorized)'))).toEqual([]);
      expect(watched.foreignRequests).toEqual([]);
    } finally {
      await watched.context.close();
    }
  });

  it.each([
    ['fi', 'dark', 390, 844],
    ['en', 'dark', 1280, 800],
    ['fi', 'light', 1280, 800],
  ] as const)(
    'fits the settings and sign-in pages in %s, %s, %ix%i',
    async (locale, theme, width, height) => {
      const owner: Account = await createAccount(app.origin, 'Olli Owner');
      const page = await newPage({ width, height });
      await page.addInitScript(
        ([l, t]) => {
          localStorage.setItem('cloop.locale', l);
          localStorage.setItem('cloop.theme', t);
        },
        [locale, theme],
      );
      await signIn(page, app.origin, owner);
      await page.goto(`${app.origin}/console/sso`);
      await page.waitForSelector('[data-testid=sso-form]');
      await screenshot(page, `sso-settings-${locale}-${theme}-${width}`);
      await expect(layoutProblems(page)).resolves.toEqual([]);
      await expect(accessibilityViolations(page)).resolves.toEqual([]);
      if (await page.locator('[data-testid=menu-toggle]').isVisible())
        await page.click('[data-testid=menu-toggle]');
      await page.click('[data-testid=sign-out]');
      await page.waitForSelector('[data-testid=sso-sign-in]');
      await expect(layoutProblems(page)).resolves.toEqual([]);
      await expect(accessibilityViolations(page)).resolves.toEqual([]);
      await screenshot(page, `sso-sign-in-${locale}-${theme}-${width}`);
    },
  );
});

import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';

import { CONSOLE_STORAGE_KEYS, type PrivacyExport } from '@cloop/contracts';
import type { Browser, Page } from 'playwright-core';

import { createAccount, createSiteFor, PASSWORD, signIn } from './support/accounts';
import {
  checkedEachTest,
  launchChromium,
  openPage,
  screenshot,
  storageKeys,
  type WatchedPage,
} from './support/browser';
import { type RunningApp, startApp } from './support/server';
import { Visitor } from './support/visitor';
import { route } from '@cloop/client/route';

const POLICY_KEYS = Object.values(CONSOLE_STORAGE_KEYS);
const TOKEN_KEYS = [CONSOLE_STORAGE_KEYS.accessToken, CONSOLE_STORAGE_KEYS.refreshToken];

let app: RunningApp;
let browser: Browser;
// Every page of every test: no CSP violation, no script error, nothing fetched from elsewhere, and
// no cookie.
const pages = checkedEachTest(async (watched) => {
  expect(await watched.context.cookies()).toEqual([]);
});

/** Retries an assertion until it passes or time runs out (for what other processes do). */
async function eventually(check: () => Promise<void>, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((done) => setTimeout(done, 200));
    }
  }
}

/** Drops expected browser-console lines of the current page (a test provoked them on purpose). */
function forgive(pattern: RegExp): void {
  const watched = pages.at(-1);
  if (watched)
    watched.problems.splice(0, watched.problems.length, ...watched.problems.filter((p) => !pattern.test(p)));
}

/** Signs up through the form and creates a site in the console; returns the site's public key. */
async function signUpAndCreateSite(page: Page, siteName: string): Promise<string> {
  await page.goto(`${app.origin}/console/`);
  await page.waitForURL(/\/console\/sign-in$/);
  await page.click('a[href="/console/sign-up"]');
  await page.fill('input[name=name]', 'Ada Agent');
  await page.fill('input[name=email]', `ada-${randomUUID().slice(0, 8)}@example.test`);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/console\/sites\/new$/);
  // The live preview follows the form as it is typed.
  await page.fill('[data-testid=site-form] input[name=name]', siteName);
  await page.fill('[data-testid=site-form] input[name=assistantName]', 'Shop helper');
  await expect(page.textContent('[data-testid=widget-preview]')).resolves.toContain('Shop helper');
  await page.click('[data-testid=save-site]');
  await page.waitForURL(/\/console\/sites\/[0-9a-f-]{36}$/);
  const publicKey = (await page.textContent('[data-testid=public-key]'))?.trim() ?? '';
  expect(publicKey).not.toBe('');
  return publicKey;
}

async function newPage(): Promise<WatchedPage> {
  const watched = await openPage(browser, app.origin);
  pages.push(watched);
  return watched;
}

beforeAll(async () => {
  [app, browser] = await Promise.all([startApp(), launchChromium()]);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
});

describe('the console in Chromium', () => {
  it('takes a new team from sign-up to a live conversation, a reply, and an export and erasure of the visitor', async () => {
    const { page } = await newPage();
    const publicKey = await signUpAndCreateSite(page, 'Example shop');
    await expect(page.textContent('[data-testid=embed-snippet]')).resolves.toBe(
      `<script src="${app.origin}/widget.js" data-site-key="${publicKey}" async></script>`,
    );
    await expect(page.getAttribute('[data-testid=try-it]', 'href')).resolves.toBe(`/?siteKey=${publicKey}`);

    // Exactly the policy's keys: both tokens and the selected site.
    expect(await storageKeys(page)).toEqual(
      [
        CONSOLE_STORAGE_KEYS.accessToken,
        CONSOLE_STORAGE_KEYS.refreshToken,
        CONSOLE_STORAGE_KEYS.siteId,
      ].sort(),
    );

    // The inbox goes live; a visitor writes; the conversation appears without a reload.
    await page.click('nav a[href="/console/inbox"]');
    await page.waitForSelector('[data-testid=live-status].on');
    const visitor = new Visitor(app.origin, publicKey, app.origin);
    await visitor.startSession(`${app.origin}/pricing`);
    await visitor.send('Do you ship to Finland?');
    await page.waitForSelector('[data-testid=conversation-item]', { timeout: 15_000 });
    await page.click('[data-testid=conversation-item]');
    await page.waitForSelector('[data-testid=message-body]:has-text("Do you ship to Finland?")');
    await expect(page.textContent('[data-testid=conversation-detail]')).resolves.toContain('/pricing');

    // The visitor's next message arrives live in the open transcript.
    await visitor.send('<b>Also</b> to Sweden?');
    await page.waitForSelector('[data-testid=message-body]:has-text("<b>Also</b> to Sweden?")');
    expect(await page.locator('[data-testid=transcript] b').count()).toBe(0); // text, never HTML

    // An agent replies; the visitor's side has the reply.
    await page.fill('[data-testid=reply-input]', 'Yes, to both, in 3 days.');
    await page.click('[data-testid=reply-send]');
    await page.waitForSelector('[data-testid=message-body]:has-text("Yes, to both, in 3 days.")');
    await eventually(async () =>
      expect((await visitor.messages()).filter((m) => m.author === 'agent').map((m) => m.body)).toEqual([
        'Yes, to both, in 3 days.',
      ]),
    );

    // Privacy: export (a JSON download) and erase the visitor; both land in the ledger.
    await page.click('nav a[href="/console/privacy"]');
    await page.fill('[data-testid=privacy-subject]', visitor.id);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid=privacy-export]'),
    ]);
    const exported = JSON.parse(await readFile((await download.path()) ?? '', 'utf8')) as PrivacyExport;
    expect(exported.format).toBe('cloop.privacy-export.v1');
    expect(JSON.stringify(exported.data)).toContain('Do you ship to Finland?');
    await page.click('[data-testid=privacy-erase]');
    await page.click('[data-testid=confirm-dialog][open] [data-testid=confirm]');
    await page.waitForSelector('[data-testid=privacy-outcome].ok');
    await eventually(async () =>
      expect(await page.locator('[data-testid=privacy-ledger] tbody tr').count()).toBe(2),
    );

    // The conversation is gone from the inbox.
    await page.click('nav a[href="/console/inbox"]');
    await page.waitForSelector('[data-testid=inbox-empty]');
    expect(await page.locator('[data-testid=conversation-item]').count()).toBe(0);

    // Sign-out forgets the tokens and the site.
    await page.click('[data-testid=sign-out]');
    await page.waitForURL(/\/console\/sign-in$/);
    const left = await storageKeys(page);
    expect(left.filter((key) => TOKEN_KEYS.includes(key as (typeof TOKEN_KEYS)[number]))).toEqual([]);
    expect(left).not.toContain(CONSOLE_STORAGE_KEYS.siteId);
  });

  it("runs the whole journey with the real widget: the demo page asks, the inbox shows it live, the agent's typing and reply reach the widget live", async () => {
    const { page } = await newPage();
    const publicKey = await signUpAndCreateSite(page, 'Widget shop');
    const tryIt = (await page.getAttribute('[data-testid=try-it]', 'href')) ?? '';
    await page.click('nav a[href="/console/inbox"]');
    await page.waitForSelector('[data-testid=live-status].on');

    // The visitor: the demo page with this site's widget, in a browser profile of its own.
    const visitorContext = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    const demo = await visitorContext.newPage();
    await demo.goto(`${app.origin}${tryIt}`);
    await demo.locator('cloop-widget .launcher').click();
    await demo.locator('cloop-widget textarea').fill('Can I return boots after 60 days?');
    await demo.keyboard.press('Enter');

    await page.waitForSelector('[data-testid=conversation-item]', { timeout: 15_000 });
    await page.click('[data-testid=conversation-item]');
    await page.waitForSelector('[data-testid=message-body]:has-text("Can I return boots after 60 days?")');

    // The agent types in the reply box: the visitor sees it before the reply is sent.
    await page.locator('[data-testid=reply-input]').pressSequentially('Yes: 90', { delay: 30 });
    await demo
      .locator('cloop-widget .typing')
      .filter({ hasText: 'Team is typing…' })
      .waitFor({ timeout: 10_000 });
    await page.fill('[data-testid=reply-input]', 'Yes: 90 days, free of charge.');
    await page.click('[data-testid=reply-send]');
    await demo
      .locator('cloop-widget .log .agent')
      .filter({ hasText: 'Yes: 90 days, free of charge.' })
      .waitFor({ timeout: 15_000 });

    // Export and erase this visitor by the widget's visitor id; the conversation leaves the inbox.
    const visitorId = await demo.evaluate((key) => localStorage.getItem(key), `cloop:visitor:${publicKey}`);
    expect(visitorId).toMatch(/^[0-9a-f-]{36}$/);
    await page.click('nav a[href="/console/privacy"]');
    await page.fill('[data-testid=privacy-subject]', visitorId ?? '');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.click('[data-testid=privacy-export]'),
    ]);
    const exported = JSON.parse(await readFile((await download.path()) ?? '', 'utf8')) as PrivacyExport;
    expect(JSON.stringify(exported.data)).toContain('Can I return boots after 60 days?');
    await page.click('[data-testid=privacy-erase]');
    await page.click('[data-testid=confirm-dialog][open] [data-testid=confirm]');
    await page.waitForSelector('[data-testid=privacy-outcome].ok');
    await page.click('nav a[href="/console/inbox"]');
    await page.waitForSelector('[data-testid=inbox-empty]');
    await visitorContext.close();
  });

  it('remembers theme and language across a reload and applies them before the app starts', async () => {
    const account = await createAccount(app.origin);
    await createSiteFor(app.origin, account, 'Theme shop');
    const { page } = await newPage();
    await signIn(page, app.origin, account);

    await page.click('[data-testid=theme-toggle]');
    await page.selectOption('[data-testid=locale-select]', 'fi');
    // The navigation is re-rendered in Finnish once the change is applied: wait for it.
    await page.waitForSelector('nav:has-text("Saapuneet")');
    expect(
      (await storageKeys(page)).every((key) => POLICY_KEYS.includes(key as (typeof POLICY_KEYS)[number])),
    ).toBe(true);

    await page.reload();
    await page.waitForSelector('nav');
    await expect(page.getAttribute('html', 'data-theme')).resolves.toBe('dark');
    await expect(page.getAttribute('html', 'lang')).resolves.toBe('fi');
    await expect(page.textContent('nav')).resolves.toContain('Saapuneet');
    await expect(page.evaluate(() => getComputedStyle(document.body).backgroundColor)).resolves.toBe(
      'rgb(18, 20, 27)',
    );

    // Without Angular at all, the external pre-paint script has already set both.
    await page.route(/\/console\/main-.*\.js$/, (route) => route.abort());
    await page.reload();
    await expect(page.getAttribute('html', 'data-theme')).resolves.toBe('dark');
    await expect(page.getAttribute('html', 'lang')).resolves.toBe('fi');
    await page.unroute(/\/console\/main-.*\.js$/);
    forgive(/net::ERR_FAILED/); // the script this test blocked on purpose
  });

  it('refreshes an expired access token once, transparently, and carries on', async () => {
    const account = await createAccount(app.origin);
    await createSiteFor(app.origin, account, 'Refresh shop');
    const { page } = await newPage();
    await signIn(page, app.origin, account);
    const refreshToken = await page.evaluate(
      (key) => localStorage.getItem(key),
      CONSOLE_STORAGE_KEYS.refreshToken,
    );

    await page.evaluate(
      (key) => localStorage.setItem(key, 'expired.access.token'),
      CONSOLE_STORAGE_KEYS.accessToken,
    );
    const refreshes: string[] = [];
    const unauthorized: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith(route('/api/v1/auth/refresh'))) refreshes.push(request.url());
    });
    page.on('response', (response) => {
      if (response.status() === 401) unauthorized.push(response.url());
    });

    await page.goto(`${app.origin}/console/sites`);
    await page.waitForSelector('.site-item strong:has-text("Refresh shop")');
    expect(refreshes).toHaveLength(1);
    expect(unauthorized.length).toBeGreaterThanOrEqual(2); // /auth/me and /sites raced with the old token
    const after = await page.evaluate(
      ([a, r]) => [localStorage.getItem(a), localStorage.getItem(r)],
      [CONSOLE_STORAGE_KEYS.accessToken, CONSOLE_STORAGE_KEYS.refreshToken],
    );
    expect(after[0]).not.toBe('expired.access.token');
    expect(after[1]).not.toBe(refreshToken);
    forgive(/status of 401/); // Chromium logs the 401s the interceptor recovered from
  });

  it('looks right on every main page, light and dark (screenshots for people to look at)', async () => {
    const account = await createAccount(app.origin, 'Saara Support');
    const site = await createSiteFor(app.origin, account, 'Northwind Outdoor');
    for (const [n, question] of [
      'Do you have size 44 hiking boots?',
      'What is your return policy?',
    ].entries()) {
      const visitor = new Visitor(app.origin, site.publicKey, app.origin);
      await visitor.startSession(`${app.origin}/products/${n + 1}`);
      await visitor.send(question);
    }
    const { page } = await newPage();
    await page.goto(`${app.origin}/console/sign-in`);
    await screenshot(page, 'sign-in-light');
    await signIn(page, app.origin, account);
    for (const theme of ['light', 'dark'] as const) {
      if ((await page.getAttribute('html', 'data-theme')) !== theme)
        await page.click('[data-testid=theme-toggle]');
      await page.click('nav a[href="/console/inbox"]');
      await page.waitForSelector('[data-testid=conversation-item]');
      await page.locator('[data-testid=conversation-item]').first().click();
      await page.waitForSelector('[data-testid=message-body]');
      await screenshot(page, `inbox-${theme}`);
      await page.click('nav a[href="/console/sites"]');
      await page.click('.site-item a');
      await page.waitForSelector('[data-testid=embed-snippet]');
      await screenshot(page, `site-${theme}`);
      await page.click('nav a[href="/console/privacy"]');
      await page.waitForSelector('[data-testid=privacy-ledger]');
      await screenshot(page, `privacy-${theme}`);
      await page.click('nav a[href="/console/privacy/audit"]');
      await page.waitForSelector('[data-testid=audit-trail] tbody tr');
      await screenshot(page, `audit-${theme}`);
      await page.click('nav a[href="/console/team"]');
      await page.waitForSelector('[data-testid=members] tbody tr');
      await screenshot(page, `team-${theme}`);
      await page.click('a.account-link');
      await page.waitForSelector('h1');
      await screenshot(page, `account-${theme}`);
    }
    await page.selectOption('[data-testid=locale-select]', 'fi');
    await page.click('nav a[href="/console/inbox"]');
    await page.waitForSelector('[data-testid=conversation-item]');
    await screenshot(page, 'inbox-dark-fi');
  });
});

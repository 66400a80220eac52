import { readFile } from 'node:fs/promises';

import type { Conversation, KnowledgeSource, PrivacyExport } from '@cloop/contracts';
import type { Browser, Page } from 'playwright-core';

import { type Account, createAccount, createSiteFor, signIn } from './support/accounts';
import { checkedEachTest, launchChromium, openPage, screenshot } from './support/browser';
import { htmlPage, startFixtureSite } from './support/fixture-site';
import { accessibilityViolations, layoutProblems } from './support/page-checks';
import { type RunningApp, startApp } from './support/server';
import { Visitor } from './support/visitor';
import { route } from '@cloop/client/route';

let app: RunningApp;
let browser: Browser;
const pages = checkedEachTest();

beforeAll(async () => {
  // No CRAWL_ALLOW_PRIVATE_NETWORKS: a crawl of the loopback fixture reads nothing, as in production.
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

async function api<T>(account: Account, path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${app.origin}${path}`, {
    ...init,
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${account.accessToken}` },
  });
  if (!response.ok) throw new Error(`${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** An account with a site and one visitor's conversation in it. */
async function teamWithConversation(question = 'Do you ship to Finland?') {
  const account = await createAccount(app.origin, 'Aino Admin');
  const site = await createSiteFor(app.origin, account, 'Northwind Outdoor');
  const visitor = new Visitor(app.origin, site.publicKey, app.origin);
  const session = await visitor.startSession(`${app.origin}/pricing`);
  await visitor.send(question);
  return { account, site, visitor, conversationId: session.conversation.id };
}

async function download(page: Page, click: () => Promise<void>): Promise<PrivacyExport> {
  const [file] = await Promise.all([page.waitForEvent('download'), click()]);
  return JSON.parse(await readFile((await file.path()) ?? '', 'utf8')) as PrivacyExport;
}

describe('privacy from where the admin works', () => {
  it("shows the visitor's widget id in the conversation, exports and erases from there after a confirmation", async () => {
    const { account, visitor, conversationId } = await teamWithConversation();
    const page = await newPage();
    await signIn(page, app.origin, account);
    await page.goto(`${app.origin}/console/inbox/${conversationId}`);

    await expect(page.locator('[data-testid=visitor-id]').textContent()).resolves.toBe(visitor.id);
    await page.click('[data-testid=visitor-privacy] [data-testid=copy]');
    await expect(page.evaluate(() => navigator.clipboard.readText())).resolves.toBe(visitor.id);

    const exported = await download(page, () => page.click('[data-testid=export-visitor]'));
    expect(exported.subject).toEqual({ kind: 'visitor', value: visitor.id });
    expect(JSON.stringify(exported.data)).toContain('Do you ship to Finland?');

    // Erasure asks first; cancelling changes nothing.
    await page.click('[data-testid=erase-visitor]');
    await page.click('[data-testid=confirm-dialog][open] button:not([data-testid=confirm])');
    await expect(page.locator('[data-testid=privacy-outcome]').textContent()).resolves.toContain(
      'Downloaded',
    );
    await expect(page.locator('[data-testid=visitor-id]').isVisible()).resolves.toBe(true);
    await page.click('[data-testid=erase-visitor]');
    await page.click('[data-testid=confirm-dialog][open] [data-testid=confirm]');
    await page.waitForSelector('text=This conversation no longer exists.');
    await page.waitForSelector('[data-testid=inbox-empty]');
  });

  it('takes a visitor id, an email or a conversation link, explains a miss, and never calls an empty export a success', async () => {
    const { account, site, visitor, conversationId } = await teamWithConversation('Where is my parcel?');
    await fetch(`${app.origin}/api/v1/widget/contact`, {
      method: 'PUT',
      headers: {
        'Content-Type': 'application/json',
        'X-Cloop-Site-Key': site.publicKey,
        'X-Cloop-Visitor': visitor.id,
        Origin: app.origin,
      },
      body: JSON.stringify({ email: 'ada@example.com' }),
    });
    const page = await newPage();
    await signIn(page, app.origin, account);
    await page.click('nav a[href="/console/privacy"]');
    const outcome = page.locator('[data-testid=privacy-outcome]');

    // The inbox's short label is not an id: said plainly, nothing sent.
    await page.fill('[data-testid=privacy-subject]', 'fdc891');
    await page.click('[data-testid=privacy-export]');
    await page.waitForSelector('[data-testid=privacy-outcome]:has-text("are not ids")');
    await expect(outcome.getAttribute('class')).resolves.toBe('error');

    // A well-formed id nobody has: no download, no "success".
    const downloads: string[] = [];
    page.on('download', (file) => downloads.push(file.suggestedFilename()));
    await page.fill('[data-testid=privacy-subject]', conversationId); // a conversation id is not a visitor id
    await page.click('[data-testid=privacy-export]');
    // The outcome is replaced once the server answered: wait for the new text, not the old one.
    await page.waitForSelector('[data-testid=privacy-outcome]:has-text("No data found")');
    await expect(outcome.getAttribute('class')).resolves.toBe('notice');
    expect(downloads).toEqual([]);

    // The conversation's link, as copied from the address bar, and the email, both find the visitor.
    await page.fill('[data-testid=privacy-subject]', `${app.origin}/console/inbox/${conversationId}`);
    const byLink = await download(page, () => page.click('[data-testid=privacy-export]'));
    expect(byLink.subject.value).toBe(visitor.id);
    await page.waitForSelector('[data-testid=privacy-outcome]:has-text("Downloaded:")');
    await expect(outcome.textContent()).resolves.toMatch(/Downloaded: \d+ records/);
    await page.fill('[data-testid=privacy-subject]', 'ada@example.com');
    const byEmail = await download(page, () => page.click('[data-testid=privacy-export]'));
    expect(JSON.stringify(byEmail.data)).toContain('Where is my parcel?');

    // The ledger counts rows in words, not table names.
    const ledger = (await page.locator('[data-testid=privacy-ledger]').textContent()) ?? '';
    expect(ledger).toContain('Messages: ');
    expect(ledger).not.toMatch(/messages: \d|visitors: \d/);
    await screenshot(page, 'privacy-outcomes');
  });
});

describe('honest statuses and pointed errors', () => {
  it('shows a crawl that read nothing as "Nothing indexed", with the setting that would allow it', async () => {
    const shop = await startFixtureSite({ '/': htmlPage('Intranet', '<p>Internal</p>') });
    try {
      const account = await createAccount(app.origin);
      const site = await createSiteFor(app.origin, account, 'Private shop');
      await api(account, route('/api/v1/sites/{siteId}', { siteId: site.id }), {
        method: 'PATCH',
        body: JSON.stringify({ allowedOrigins: [app.origin, shop.origin] }),
      });
      const source = await api<KnowledgeSource>(
        account,
        route('/api/v1/sites/{siteId}/knowledge/sources', { siteId: site.id }),
        {
          method: 'POST',
          body: JSON.stringify({ type: 'crawl', url: `${shop.origin}/` }),
        },
      );
      const page = await newPage();
      await signIn(page, app.origin, account);
      await page.click('nav a[href="/console/knowledge"]');
      const row = page.locator('[data-testid=source-row]');
      await row
        .locator('[data-testid=source-status]:has-text("Nothing indexed")')
        .waitFor({ timeout: 30_000 });
      await expect(row.locator('[data-testid=source-empty-hint]').textContent()).resolves.toContain(
        'open the source',
      );

      await page.goto(`${app.origin}/console/knowledge/sources/${source.id}`);
      await expect(page.locator('[data-testid=detail-status]').textContent()).resolves.toContain(
        'Nothing indexed',
      );
      await expect(page.locator('[data-testid=document-row]').first().textContent()).resolves.toContain(
        'CRAWL_ALLOW_PRIVATE_NETWORKS',
      );
      expect(shop.requests).toEqual([]);
    } finally {
      await shop.stop();
    }
  });

  it('marks and focuses the origin field when an origin has no scheme', async () => {
    const account = await createAccount(app.origin);
    const site = await createSiteFor(app.origin, account, 'Scheme shop');
    const page = await newPage();
    await signIn(page, app.origin, account);
    await page.goto(`${app.origin}/console/sites/${site.id}`);
    // The form is filled from the loaded site first; typing before that would be overwritten.
    await page.waitForFunction(
      () => document.querySelector<HTMLInputElement>('input[name=name]')?.value === 'Scheme shop',
    );
    await page.fill('textarea[name=origins]', 'shop.example');
    await page.click('[data-testid=save-site]');

    // The save answers 400 first: wait for the mark rather than reading it at once.
    await page.locator('textarea[name=origins][aria-invalid=true]').waitFor();
    await page.waitForFunction(() => document.activeElement?.getAttribute('name') === 'origins');
    await expect(page.locator('[data-testid=origins-error]').textContent()).resolves.toContain('https://');
    await expect(page.locator('input[name=name]').getAttribute('aria-invalid')).resolves.toBeNull();
    const problems = pages.at(-1)?.problems ?? [];
    problems.splice(0, problems.length, ...problems.filter((p) => !/status of 400/.test(p)));
  });
});

describe('words instead of names', () => {
  it('lets the owner rename the organization, and the audit trail says so in words', async () => {
    const account = await createAccount(app.origin, 'Olivia Owner');
    await createSiteFor(app.origin, account, 'Rename shop');
    const page = await newPage();
    await signIn(page, app.origin, account);
    await page.click('nav a[href="/console/team"]');
    await page.fill('[data-testid=rename-organization] input[name=name]', 'Northwind Oy');
    await page.click('[data-testid=rename-organization] button[type=submit]');
    await page.waitForSelector('h1:has-text("Northwind Oy")');

    await page.click('nav a[href="/console/privacy/audit"]');
    const first = page.locator('[data-testid=audit-trail] tbody tr').first();
    await first.locator('text=Organization renamed').waitFor();
    const row = (await first.textContent()) ?? '';
    expect(row).toContain('Organization');
    expect(row).not.toContain('organization ');
  });

  it('shows no repository file on the webhooks page', async () => {
    const account = await createAccount(app.origin);
    await createSiteFor(app.origin, account, 'Hook shop');
    const page = await newPage();
    await signIn(page, app.origin, account);
    await page.click('nav a[href="/console/webhooks"]');
    await page.waitForSelector('h1');
    expect(await page.locator('main').textContent()).not.toMatch(/docs\/|\.md\b/);
  });
});

describe('quiet and tidy', () => {
  it('asks for the inbox list once per visit, and the demo page finds its favicon', async () => {
    const { account } = await teamWithConversation();
    const page = await newPage();
    const lists: string[] = [];
    page.on('request', (request) => {
      if (/\/api\/v1\/sites\/[^/]+\/conversations(\?|$)/.test(request.url())) lists.push(request.url());
    });
    await signIn(page, app.origin, account);
    await page.waitForSelector('[data-testid=conversation-item]');
    await page.waitForSelector('[data-testid=live-status].on');
    await page.waitForTimeout(500);
    expect(lists).toHaveLength(1);

    const favicon = await fetch(`${app.origin}/favicon.ico`);
    expect(favicon.status).toBe(200);
  });

  it('tells assistant and agent messages apart', async () => {
    const { account, site, conversationId } = await teamWithConversation('What is your return policy?');
    await api(
      account,
      route('/api/v1/sites/{siteId}/conversations/{conversationId}/messages', {
        siteId: site.id,
        conversationId,
      }),
      {
        method: 'POST',
        body: JSON.stringify({ id: crypto.randomUUID(), body: 'An agent here.' }),
      },
    );
    const page = await newPage();
    await signIn(page, app.origin, account);
    await page.goto(`${app.origin}/console/inbox/${conversationId}`);
    await page.locator('.msg.assistant').first().waitFor({ timeout: 20_000 });
    const background = (selector: string) =>
      page
        .locator(selector)
        .first()
        .evaluate((element) => getComputedStyle(element).backgroundColor);
    expect(await background('.msg.assistant')).not.toBe(await background('.msg.agent'));
  });
});

/** Every signed-in page the console has, with what shows it is ready. */
const CONSOLE_PAGES: [string, string, string][] = [
  ['inbox', '/console/inbox', '[data-testid=conversation-item]'],
  ['conversation', '', '[data-testid=visitor-id]'],
  ['knowledge', '/console/knowledge', '[data-testid=sources]'],
  ['sites', '/console/sites', '.site-item'],
  ['site', '', '[data-testid=embed-snippet]'],
  ['new-site', '/console/sites/new', '[data-testid=site-form]'],
  ['privacy', '/console/privacy', '[data-testid=privacy-ledger]'],
  ['audit', '/console/privacy/audit', '[data-testid=audit-trail] tbody tr'],
  ['webhooks', '/console/webhooks', 'h1'],
  ['team', '/console/team', '[data-testid=members] tbody tr'],
  ['account', '/console/account', 'h1'],
];

describe('every page, every way it is seen', () => {
  let account: Account;
  let conversationPath: string;
  let sitePath: string;

  beforeAll(async () => {
    const team = await teamWithConversation('Do you have size 44 hiking boots?');
    account = team.account;
    conversationPath = `/console/inbox/${team.conversationId}`;
    sitePath = `/console/sites/${team.site.id}`;
    // Something in the audit trail and the ledger.
    await api(account, route('/api/v1/sites/{siteId}/privacy/exports', { siteId: team.site.id }), {
      method: 'POST',
      body: JSON.stringify({ visitorId: team.visitor.id }),
    }).catch(() => undefined);
    const conversations = await api<{ items: Conversation[] }>(
      account,
      route('/api/v1/sites/{siteId}/conversations', { siteId: team.site.id }),
    );
    expect(conversations.items).toHaveLength(1);
  });

  const pathOf = (name: string, path: string) =>
    name === 'conversation' ? conversationPath : name === 'site' ? sitePath : path;

  async function visitAll(
    page: Page,
    label: string,
    check: (name: string) => Promise<string[]>,
  ): Promise<string[]> {
    const found: string[] = [];
    for (const [name, path, ready] of CONSOLE_PAGES) {
      // Within the app, as a person moves: a reload per page would open a socket per page.
      await page.evaluate(
        (target) => {
          history.pushState(null, '', target);
          dispatchEvent(new PopStateEvent('popstate', { state: null }));
        },
        pathOf(name, path),
      );
      await page.locator(ready).first().waitFor({ timeout: 20_000 });
      await screenshot(page, `${label}-${name}`);
      found.push(...(await check(name)).map((problem) => `${name}: ${problem}`));
    }
    return found;
  }

  async function prepare(page: Page, locale: 'en' | 'fi', theme: 'light' | 'dark'): Promise<void> {
    await page.addInitScript(
      ([l, t]) => {
        localStorage.setItem('cloop.locale', l);
        localStorage.setItem('cloop.theme', t);
      },
      [locale, theme],
    );
    await signIn(page, app.origin, account);
  }

  it.each([
    ['en', 'light'],
    ['en', 'dark'],
    ['fi', 'light'],
    ['fi', 'dark'],
  ] as const)('has no WCAG 2.2 A/AA violation on any page (%s, %s)', async (locale, theme) => {
    const page = await newPage();
    await prepare(page, locale, theme);
    const violations = await visitAll(page, `${locale}-${theme}-desktop`, () =>
      accessibilityViolations(page),
    );
    expect(violations).toEqual([]);
  });

  it.each([
    ['en', 'light', 1280, 800],
    ['fi', 'dark', 1280, 800],
    ['en', 'dark', 360, 740],
    ['fi', 'light', 360, 740],
    ['fi', 'dark', 390, 844],
  ] as const)(
    'keeps every page inside the screen, no text spilling (%s, %s, %d px)',
    async (locale, theme, width, height) => {
      const page = await newPage({ width, height });
      await prepare(page, locale, theme);
      const problems = await visitAll(page, `${locale}-${theme}-${width}`, () => layoutProblems(page));
      expect(problems).toEqual([]);
    },
  );

  it('fits the Finnish navigation on one row at 1280 px', async () => {
    const page = await newPage({ width: 1280, height: 800 });
    await prepare(page, 'fi', 'light');
    await expect(page.locator('[data-testid=menu-toggle]').isVisible()).resolves.toBe(false);
    const tops = await page.locator('.topbar nav a, [data-testid=sign-out]').evaluateAll((links) =>
      links.map((link) => {
        const box = link.getBoundingClientRect();
        return Math.round(box.top + box.height / 2);
      }),
    );
    expect(new Set(tops).size).toBe(1);
  });

  it('opens a menu at phone width with every link, theme, language and sign-out reachable', async () => {
    const page = await newPage({ width: 360, height: 740 });
    await prepare(page, 'fi', 'light');
    await expect(page.locator('.topbar nav').isVisible()).resolves.toBe(false);
    await page.click('[data-testid=menu-toggle]');
    for (const selector of [
      'nav a[href="/console/team"]',
      '[data-testid=theme-toggle]',
      '[data-testid=locale-select]',
      '[data-testid=sign-out]',
    ]) {
      const box = await page.locator(selector).boundingBox();
      expect(box && box.x >= 0 && box.x + box.width <= 360).toBe(true);
    }
    await screenshot(page, 'fi-light-360-menu-open');
    await page.click('nav a[href="/console/team"]');
    await page.waitForURL(/\/console\/team$/);
    await expect(page.locator('.topbar nav').isVisible()).resolves.toBe(false);
  });
});

describe('the page checks themselves', () => {
  it('find a WCAG violation and a spilling box when there is one', async () => {
    const page = await newPage({ width: 360, height: 640 });
    await page.setContent(
      '<html lang="en"><body><main><button></button><div style="display:flex;width:200px"><span style="flex:none;width:600px">wide</span></div></main></body></html>',
    );
    expect((await accessibilityViolations(page)).join()).toContain('button-name');
    expect((await layoutProblems(page)).join('\n')).toMatch(/sideways|leaves the viewport|holds more/);
  });
});

describe('with the keyboard alone', () => {
  it('signs in, picks a site, answers a conversation and exports the visitor', async () => {
    const { account, visitor } = await teamWithConversation('Can I pay by invoice?');
    await createSiteFor(app.origin, account, 'Another shop');
    const page = await newPage();
    const press = async (key: string, times = 1) => {
      for (let i = 0; i < times; i += 1) await page.keyboard.press(key);
    };
    /** Tabs until the focused element matches (at most 60 stops): what a keyboard user does. */
    const tabTo = async (selector: string) => {
      for (let i = 0; i < 60; i += 1) {
        if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
        await press('Tab');
      }
      throw new Error(`never reached ${selector} with Tab`);
    };
    await page.goto(`${app.origin}/console/sign-in`);
    await tabTo('input[name=email]');
    await page.keyboard.type(account.email);
    await tabTo('input[name=password]');
    await page.keyboard.type('correct horse battery staple');
    await press('Enter');
    await page.waitForURL(/\/console\/inbox/);

    // Pick the first site (the one with the conversation) in the switcher.
    await tabTo('[data-testid=site-switcher]');
    await press('Home');
    await page.waitForSelector('[data-testid=conversation-item]');
    await tabTo('[data-testid=conversation-item]');
    await press('Enter');
    await tabTo('[data-testid=reply-input]');
    await page.keyboard.type('Yes, invoices are fine.');
    await press('Enter');
    await page.waitForSelector('[data-testid=message-body]:has-text("Yes, invoices are fine.")');

    await tabTo('[data-testid=export-visitor]');
    const exported = await download(page, () => press('Enter'));
    expect(exported.subject.value).toBe(visitor.id);
  });
});

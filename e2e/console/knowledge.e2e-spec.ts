import { randomUUID } from 'node:crypto';

import { type UnansweredQuestionsResponse, UPLOAD_MAX_BYTES } from '@cloop/contracts';
import type { Browser, Page } from 'playwright-core';

import { PASSWORD } from './support/accounts';
import { checkedEachTest, launchChromium, openPage, screenshot } from './support/browser';
import { type FixtureSite, htmlPage, startFixtureSite } from './support/fixture-site';
import { type RunningApp, startApp } from './support/server';
import { Visitor } from './support/visitor';

let app: RunningApp;
let shop: FixtureSite;
let browser: Browser;
const pages = checkedEachTest();

const row = (type: string): string => `[data-testid=source-row][data-type=${type}]`;

/** Retries an assertion until it passes or time runs out (for what the server does in the background). */
async function eventually(check: () => Promise<void>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((done) => setTimeout(done, 250));
    }
  }
}

/** Signs up through the form and creates a site whose allowed origins include the shop's. */
async function signUpWithSite(page: Page, name: string): Promise<string> {
  await page.goto(`${app.origin}/console/sign-up`);
  await page.fill('input[name=name]', 'Kaisa Knowledge');
  await page.fill('input[name=email]', `kaisa-${randomUUID().slice(0, 8)}@example.test`);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/console\/sites\/new$/);
  await page.fill('[data-testid=site-form] input[name=name]', name);
  await page.fill('[data-testid=site-form] textarea[name=origins]', `${app.origin}\n${shop.origin}`);
  await page.click('[data-testid=save-site]');
  await page.waitForURL(/\/console\/sites\/[0-9a-f-]{36}$/);
  return (await page.textContent('[data-testid=public-key]'))?.trim() ?? '';
}

beforeAll(async () => {
  shop = await startFixtureSite({
    '/robots.txt': { contentType: 'text/plain', body: 'User-agent: *\nDisallow: /private/\n' },
    '/': htmlPage(
      'Northwind Ceramics',
      `<h1>Northwind Ceramics</h1><p>We make handmade ceramic mugs in Porvoo.</p>
       <a href="/care">Care</a> <a href="/workshops">Workshops</a> <a href="/private/staff">Staff</a>`,
    ),
    '/care': htmlPage(
      'Caring for your mug',
      '<h1>Care</h1><h2>Dishwasher</h2><p>Every glazed mug is dishwasher safe up to 65 degrees.</p>',
    ),
    '/workshops': {
      ...htmlPage(
        'Workshops',
        '<h1>Workshops</h1><p>Pottery workshops run every Saturday from 10 to 14 in our Porvoo studio.</p>',
      ),
      delayMs: 5000,
    },
    '/private/staff': htmlPage('Staff', '<p>The staff discount code is CLAY42.</p>'),
  });
  // Assigned one by one, so afterAll stops the app even when Chromium fails to start.
  await Promise.all([
    startApp({ CRAWL_ALLOW_PRIVATE_NETWORKS: 'true' }).then((started) => (app = started)),
    launchChromium().then((launched) => (browser = launched)),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  await shop?.stop();
});

describe('the knowledge page in Chromium', () => {
  it('adds a Q&A, a file and a crawl, tests a question, deletes a source, and answers or dismisses what went unanswered', async () => {
    const watched = await openPage(browser, app.origin);
    pages.push(watched);
    const { page } = watched;
    const publicKey = await signUpWithSite(page, 'Northwind Ceramics');

    await page.click('nav a[href="/console/knowledge"]');
    await page.waitForSelector('[data-testid=no-sources]:has-text("No content yet")');

    // A question and its answer: indexed at once.
    await page.check('[data-testid=kind-qa]');
    await page.fill('[data-testid=qa-question]', 'Do you ship to Finland?');
    await page.fill('[data-testid=qa-answer]', 'Yes: orders to Finland arrive in 2 to 4 working days.');
    await page.click('[data-testid=qa-submit]');
    await page.waitForSelector(`${row('qa')}[data-status=ready]`);
    await expect(page.textContent(`${row('qa')} [data-testid=source-title]`)).resolves.toBe(
      'Do you ship to Finland?',
    );
    expect(Number(await page.textContent(`${row('qa')} [data-testid=source-chunks]`))).toBeGreaterThan(0);

    // A file: the limits are shown and checked before anything is sent.
    await page.check('[data-testid=kind-upload]');
    await expect(page.textContent('#upload-hint')).resolves.toContain('10 MB');
    const uploads: string[] = [];
    page.on('request', (request) => {
      if (request.url().endsWith('/knowledge/uploads')) uploads.push(request.url());
    });
    await page.setInputFiles('[data-testid=upload-file]', {
      name: 'photo.png',
      mimeType: 'image/png',
      buffer: Buffer.from('not text'),
    });
    await page.waitForSelector('[data-testid=add-error]:has-text("plain text, Markdown, HTML or PDF")');
    await page.setInputFiles('[data-testid=upload-file]', {
      name: 'huge.md',
      mimeType: 'text/markdown',
      buffer: Buffer.alloc(UPLOAD_MAX_BYTES + 1, 'a'),
    });
    await page.waitForSelector('[data-testid=add-error]:has-text("over 10 MB")');
    await page.click('[data-testid=upload-submit]');
    expect(uploads).toEqual([]);
    await page.setInputFiles('[data-testid=upload-file]', {
      name: 'returns.md',
      mimeType: 'text/markdown',
      buffer: Buffer.from('# Returns\n\nUnused mugs can be returned within 30 days for a full refund.\n'),
    });
    // Choosing an acceptable file clears the previous file's error.
    await page.waitForSelector('[data-testid=add-error]', { state: 'detached' });
    await page.click('[data-testid=upload-submit]');
    await page.waitForSelector(`${row('upload')}[data-status=ready]`);
    await expect(page.textContent(`${row('upload')} [data-testid=source-title]`)).resolves.toBe('returns.md');
    expect(uploads).toHaveLength(1);

    // A crawl: an origin the site does not allow is refused with a way to fix it; the shop is read.
    await page.check('[data-testid=kind-crawl]');
    await page.fill('[data-testid=crawl-url]', 'https://elsewhere.example/');
    await page.click('[data-testid=crawl-submit]');
    await page.waitForSelector('[data-testid=add-error]:has-text("allowed origins")');
    await screenshot(page, 'knowledge-error-light');
    await page.fill('[data-testid=crawl-url]', `${shop.origin}/`);
    await page.click('[data-testid=crawl-submit]');
    await page.waitForSelector(row('crawl'));
    // While the slow page keeps the crawl running, the counts grow as pages arrive.
    await page.waitForSelector(`${row('crawl')}[data-status=running]`);
    await eventually(async () =>
      expect(Number(await page.textContent(`${row('crawl')} [data-testid=source-pages]`))).toBeGreaterThan(0),
    );
    await expect(page.textContent('[data-testid=crawl-progress]')).resolves.toMatch(
      /Crawling \(1\): \d pages read so far/,
    );
    await screenshot(page, 'knowledge-crawling-light');
    await expect(page.inputValue('[data-testid=crawl-form] input[name=pageLimit]')).resolves.toBe('200');
    await eventually(async () => {
      await expect(page.getAttribute(row('crawl'), 'data-status')).resolves.toBe('ready');
      // Three pages indexed, one skipped for robots.txt: four visited.
      await expect(page.textContent(`${row('crawl')} [data-testid=source-pages]`)).resolves.toBe('4');
    });
    expect(
      Number(await page.textContent(`${row('crawl')} [data-testid=source-chunks]`)),
    ).toBeGreaterThanOrEqual(3);
    await page.waitForSelector('[data-testid=crawl-progress]:has-text("Crawling finished")');
    expect(shop.requests).not.toContain('/private/staff');

    // The crawl's pages, each with what became of it.
    await page.click(`${row('crawl')} [data-testid=source-title]`);
    await page.waitForSelector('[data-testid=document-row]');
    expect(await page.locator('[data-testid=document-row][data-status=indexed]').count()).toBe(3);
    await expect(page.textContent('[data-testid=document-row][data-status=skipped]')).resolves.toContain(
      'robots.txt',
    );
    await screenshot(page, 'knowledge-source-light');
    await page.click('a[href="/console/knowledge"]:has-text("All sources")');
    await page.waitForSelector(row('crawl'));

    // Crawl again, then leave the page while it runs: the polling stops with the page.
    const polls: string[] = [];
    page.on('request', (request) => {
      if (/\/knowledge\/sources\?/.test(request.url())) polls.push(request.url());
    });
    await page.click(`${row('crawl')} [data-testid=recrawl]`);
    await page.waitForSelector(`${row('crawl')}:is([data-status=queued], [data-status=running])`);
    await page.click('nav a[href="/console/inbox"]');
    await page.waitForURL(/\/console\/inbox$/);
    const pollsWhenLeft = polls.length;
    await new Promise((done) => setTimeout(done, 5000));
    expect(polls.length).toBe(pollsWhenLeft);
    await page.click('nav a[href="/console/knowledge"]');
    await eventually(async () => {
      await expect(page.getAttribute(row('crawl'), 'data-status')).resolves.toBe('ready');
      await expect(page.textContent(`${row('crawl')} [data-testid=source-pages]`)).resolves.toBe('4');
    });

    // Test a question: the passage from the crawled page, with its source and score.
    await page.fill('[data-testid=test-query]', 'Is the mug dishwasher safe?');
    await page.click('[data-testid=test-submit]');
    await page.waitForSelector('[data-testid=passage]');
    const best = page.locator('[data-testid=passage]').first();
    await expect(best.textContent()).resolves.toContain('dishwasher safe up to 65 degrees');
    await expect(best.locator('a').getAttribute('href')).resolves.toBe(`${shop.origin}/care`);
    await expect(best.textContent()).resolves.toMatch(/Score \d\.\d\d/);
    await page.fill('[data-testid=test-query]', 'xylophone zeppelin');
    await page.click('[data-testid=test-submit]');
    await page.waitForSelector('[data-testid=no-passages]');

    // Delete the file, after confirming: it leaves the list and the answers.
    await page.click(`${row('upload')} [data-testid=delete-source]`);
    await page.click('[data-testid=confirm-dialog][open] [data-testid=confirm]');
    await page.waitForSelector(row('upload'), { state: 'detached' });
    await page.fill('[data-testid=test-query]', 'refund for returned mugs');
    await page.click('[data-testid=test-submit]');
    await eventually(async () =>
      expect(await page.locator('[data-testid=passage]:has-text("30 days")').count()).toBe(0),
    );

    // A visitor asks what the site does not cover: the questions show up as unanswered.
    const zoo = 'Can I pay with a voucher from the Helsinki zoo?';
    const dragon = 'Could you engrave a dragon on a teapot lid?';
    const trains = 'Do you sell model railway tickets?';
    const visitor = new Visitor(app.origin, publicKey, app.origin);
    await visitor.startSession(`${app.origin}/`);
    for (const question of [zoo, dragon, trains]) await visitor.send(question);
    const unanswered = (question: string): string => `[data-testid=unanswered-row]:has-text("${question}")`;
    await eventually(async () => {
      if ((await page.locator('[data-testid=unanswered-row]').count()) < 3)
        await page.click('[data-testid=unanswered-refresh]');
      const listed = await page.textContent('[data-testid=unanswered]');
      expect([zoo, dragon, trains].filter((question) => !listed?.includes(question))).toEqual([]);
    });
    // "Answer it" opens the Q&A form with the question filled in; once saved, the question is answered.
    await page.click(`${unanswered(zoo)} [data-testid=answer-this]`);
    await expect(page.inputValue('[data-testid=qa-question]')).resolves.toBe(zoo);
    await expect(page.evaluate(() => document.activeElement?.getAttribute('data-testid'))).resolves.toBe(
      'qa-answer',
    );
    await page.fill('[data-testid=qa-answer]', 'Yes: the Helsinki zoo voucher pays for any mug in our shop.');
    await page.click('[data-testid=qa-submit]');
    await page.waitForSelector(unanswered(zoo), { state: 'detached' });
    // An admin dismisses a question the shop will never answer: gone at once, and it stays gone.
    const [dismissal] = await Promise.all([
      page.waitForResponse((response) => /\/knowledge\/unanswered\/[0-9a-f-]{36}$/.test(response.url())),
      page.click(`${unanswered(dragon)} [data-testid=dismiss-unanswered]`),
    ]);
    await page.waitForSelector(unanswered(dragon), { state: 'detached' });
    expect(dismissal.status()).toBe(204);
    const [reload] = await Promise.all([
      page.waitForResponse((response) => response.url().endsWith('/knowledge/unanswered')),
      page.click('[data-testid=unanswered-refresh]'),
    ]);
    // What the server lists now, asked again with the console's own token: the body of the matched
    // response can be gone already (a list request the console superseded is cancelled mid-body).
    const items = await page.evaluate(async (url) => {
      const token = localStorage.getItem('cloop.accessToken') ?? '';
      const response = await fetch(url, { headers: { Authorization: `Bearer ${token}` } });
      return ((await response.json()) as UnansweredQuestionsResponse).items;
    }, reload.url());
    expect(items.map((item) => item.question)).toEqual([trains]);
    await eventually(async () => expect(await page.locator('[data-testid=unanswered-row]').count()).toBe(1));
    expect(await page.locator('[data-testid=unanswered-error]').count()).toBe(0);

    // For people to look at: light, dark, and Finnish.
    await page.fill('[data-testid=test-query]', 'pottery workshops on Saturday');
    await page.click('[data-testid=test-submit]');
    await page.waitForSelector('[data-testid=passage]:has-text("Saturday")');
    // The page scrolls inside the shell, not the window: a tall viewport shows all of it.
    await page.setViewportSize({ width: 1280, height: 1700 });
    await screenshot(page, 'knowledge-light');
    await page.click('[data-testid=theme-toggle]');
    // The theme applies on the next change detection, not within the click: wait for it.
    await page.waitForSelector('html[data-theme=dark]', { state: 'attached' });
    await screenshot(page, 'knowledge-dark');
    await page.selectOption('[data-testid=locale-select]', 'fi');
    await page.waitForSelector('h1:has-text("Tietopankki")');
    await screenshot(page, 'knowledge-dark-fi');
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.click(`${row('crawl')} [data-testid=source-title]`);
    await page.waitForSelector('[data-testid=document-row]');
    await screenshot(page, 'knowledge-source-dark-fi');
  });
});

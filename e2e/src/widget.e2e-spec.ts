import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import type { Site } from '@cloop/contracts';
import type { Browser, Page, Request } from 'playwright-core';

import { focusedInWidget, launchChromium, pageStorage, waitForText, widget } from './support/browser';
import { type CloopProcess, startCloop } from './support/cloop-process';
import { TeamApi } from './support/console-api';
import { embedPage, type HostSite, startHostSite } from './support/host-site';

const SCREENSHOTS = join(__dirname, '..', 'screenshots');
// What the assistant says with an empty knowledge base.
const REPLY = "I couldn't find an answer to that in this site's content";

let cloop: CloopProcess;
let host: HostSite;
let browser: Browser;
let team: TeamApi;
let site: Site;
/** For every response the browser got in this file: its URL if it tried to set a cookie. */
const cookieChecks: Promise<string | null>[] = [];
const pageErrors: string[] = [];

beforeAll(async () => {
  [cloop, host, browser] = await Promise.all([startCloop(), startHostSite(), launchChromium()]);
  team = await TeamApi.signUp(cloop.url);
  site = await team.createSite([host.origin]);
  host.page('/', embedPage(cloop.url, site.publicKey));
  host.page('/other', embedPage(cloop.url, site.publicKey, { body: '<h1>Another page</h1>' }));
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await cloop?.stop();
});

/** A visitor with a browser profile of their own: empty storage, no cookies. */
async function visitor(options: { viewport?: { width: number; height: number } } = {}) {
  const context = await browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 800 } });
  context.on('response', (response) =>
    cookieChecks.push(
      response
        .headerValue('set-cookie')
        .then((cookie) => (cookie === null ? null : response.url()))
        .catch((error: unknown) => `${response.url()}: ${String(error)}`),
    ),
  );
  context.on('weberror', (error) => pageErrors.push(error.error().message));
  const page = await context.newPage();
  page.on('dialog', (dialog) => {
    pageErrors.push(`dialog: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return { context, page };
}

async function openWidget(page: Page): Promise<void> {
  await page.locator(widget('.launcher')).click();
  await page.locator(widget('textarea')).waitFor();
}

async function say(page: Page, text: string): Promise<void> {
  await page.locator(widget('textarea')).fill(text);
  await page.keyboard.press('Enter');
}

describe('the widget in Chromium, on a customer page of another origin', () => {
  it('sends nothing but the config request and stores nothing before the visitor interacts', async () => {
    const { context, page } = await visitor();
    const requests: Request[] = [];
    context.on('request', (request) => requests.push(request));
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));

    await page.goto(host.page('/', embedPage(cloop.url, site.publicKey)));
    await page.locator(widget('.launcher')).waitFor();
    await page.waitForTimeout(1500);

    expect(requests.map((request) => `${request.method()} ${request.url()}`)).toEqual([
      `GET ${host.origin}/`,
      `GET ${cloop.url}/widget.js`,
      `GET ${cloop.url}/api/v1/widget/config`,
    ]);
    expect(sockets).toEqual([]);
    expect(await pageStorage(page)).toEqual({ local: {}, session: {}, cookie: '' });
    await context.close();
  });

  it('opens, sends, streams the reply, keeps exactly the policy keys, and restores history on reload and other pages', async () => {
    const { context, page } = await visitor();
    await page.goto(`${host.origin}/`);
    await openWidget(page);
    expect(await focusedInWidget(page)).toBe('textarea');
    await waitForText(page, '.panel', 'AI assistant');

    // Record whether the answer was ever on screen while still streaming (a draft bubble).
    await page.evaluate(() => {
      const drafts = document.querySelector('cloop-widget')?.shadowRoot?.querySelector('.drafts');
      const seen = ((window as { __streamed?: string[] }).__streamed = [] as string[]);
      if (drafts) {
        new MutationObserver(() => seen.push(drafts.textContent ?? '')).observe(drafts, {
          childList: true,
          subtree: true,
          characterData: true,
        });
      }
    });
    await say(page, 'Do you ship to Finland?');
    await waitForText(page, '.log .visitor', 'Do you ship to Finland?');
    await waitForText(page, '.log .assistant', REPLY);
    const streamed = await page.evaluate(() => (window as { __streamed?: string[] }).__streamed ?? []);
    // Drawn while it streamed: a snapshot holds the start of the answer but not yet its end.
    expect(streamed.some((text) => text.includes("I'm sorry") && !text.includes('rather not guess'))).toBe(
      true,
    );

    const stored = await pageStorage(page);
    expect(Object.keys(stored.local)).toEqual([`cloop:visitor:${site.publicKey}`]);
    expect(stored.local[`cloop:visitor:${site.publicKey}`]).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(stored.session).toEqual({ [`cloop:open:${site.publicKey}`]: '1' });
    expect(stored.cookie).toBe('');

    await page.reload();
    await waitForText(page, '.log .visitor', 'Do you ship to Finland?');
    await waitForText(page, '.log .assistant', REPLY);

    const other = await context.newPage();
    await other.goto(`${host.origin}/other`);
    await other.locator(widget('.launcher')).click();
    await waitForText(other, '.log .visitor', 'Do you ship to Finland?');

    // Clearing storage: the next visit is a new anonymous visitor with a new conversation.
    const oldId = stored.local[`cloop:visitor:${site.publicKey}`];
    await other.evaluate(() => {
      localStorage.clear();
      sessionStorage.clear();
    });
    await other.reload();
    await openWidget(other);
    await other.waitForTimeout(500);
    expect(await other.locator(widget('.log .visitor')).count()).toBe(0);
    await say(other, 'A new visitor here');
    await waitForText(other, '.log .assistant', REPLY);
    const newId = (await pageStorage(other)).local[`cloop:visitor:${site.publicKey}`];
    expect(newId).toMatch(/^[0-9a-f-]{36}$/);
    expect(newId).not.toBe(oldId);
    expect(await other.locator(widget('.log .visitor')).allTextContents()).toEqual([
      expect.stringContaining('A new visitor here'),
    ]);
    await context.close();
  });

  it('offers the email form when the visitor asks for a person, and shows an agent reply sent through the API live', async () => {
    const { context, page } = await visitor();
    await page.goto(`${host.origin}/`);
    await openWidget(page);
    await say(page, 'Can I talk to a person?');
    await waitForText(page, '.log .assistant', 'Of course');
    const conversation = (await team.conversations(site.id)).find(
      (c) => c.messageCount >= 2 && c.phase === 'requesting_contact',
    );
    expect(conversation).toBeDefined();
    // The visitor asked for a person: the email form is offered.
    await page.locator(widget('.contact input[type=email]')).waitFor();

    await team.reply(site.id, conversation?.id ?? '', 'Hi, this is Sam from the team.');
    await waitForText(page, '.log .agent', 'Hi, this is Sam from the team.', 5000);

    await page.locator(widget('.contact input')).fill('visitor@example.test');
    await page.locator(widget('.contact .primary')).click();
    await waitForText(page, '.notice', 'visitor@example.test');
    const transcript = await team.transcript(site.id, conversation?.id ?? '');
    expect(transcript.conversation.email).toBe('visitor@example.test');
    await context.close();
  });

  it('works on a page with hostile CSS', async () => {
    const { context, page } = await visitor();
    const css = `* { all: unset !important; } div { display: none !important; }
      .cover { display: block !important; position: fixed !important; inset: 0 !important; z-index: 2147483647 !important; background: rgba(255,0,0,.2) !important; }`;
    await page.goto(
      host.page(
        '/hostile',
        embedPage(cloop.url, site.publicKey, {
          css,
          body: '<section class="cover"></section><div>hidden</div>',
        }),
      ),
    );
    await openWidget(page);
    const panel = await page.locator(widget('.panel')).boundingBox();
    expect(panel?.width).toBeGreaterThan(300);
    expect(panel?.height).toBeGreaterThan(300);
    await say(page, 'Still working?');
    await waitForText(page, '.log .assistant', REPLY);
    await page.screenshot({ path: join(SCREENSHOTS, 'hostile-page.png') });
    await context.close();
  });

  it('shows markup in a message as text and runs nothing', async () => {
    const { context, page } = await visitor();
    const before = pageErrors.length;
    await page.goto(`${host.origin}/`);
    await openWidget(page);
    await say(page, '<img src=x onerror=alert(1)><script>window.__pwned=1</script>');
    await waitForText(page, '.log .visitor', '<img src=x onerror=alert(1)>');
    await waitForText(page, '.log .assistant', REPLY);
    expect(await page.locator(widget('img')).count()).toBe(0);
    expect(await page.evaluate(() => (window as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(pageErrors.slice(before)).toEqual([]);
    await context.close();
  });

  it('is usable with the keyboard alone', async () => {
    const { context, page } = await visitor();
    await page.goto(`${host.origin}/`);
    await page.locator(widget('.launcher')).waitFor();
    await page.keyboard.press('Tab');
    expect(await focusedInWidget(page)).toBe('launcher');
    await page.keyboard.press('Enter');
    expect(await focusedInWidget(page)).toBe('textarea');
    const seen = new Set<string | null>();
    for (let i = 0; i < 8; i += 1) {
      await page.keyboard.press('Tab');
      seen.add(await focusedInWidget(page));
    }
    // Focus cycled through the panel's controls and never left the widget.
    expect(seen.has(null)).toBe(false);
    expect([...seen]).toEqual(expect.arrayContaining(['icon', 'textarea', 'primary']));
    await page.keyboard.press('Escape');
    expect(await page.locator(widget('.panel')).isHidden()).toBe(true);
    expect(await focusedInWidget(page)).toBe('launcher');
    await context.close();
  });

  it('queues a message typed offline and sends it once when the network returns', async () => {
    const { context, page } = await visitor();
    await page.goto(`${host.origin}/`);
    await openWidget(page);
    await say(page, 'first, online');
    await waitForText(page, '.log .assistant', REPLY);

    await context.setOffline(true);
    await say(page, 'second, typed offline');
    await waitForText(page, '.log .visitor', 'Waiting for the network');
    await context.setOffline(false);
    await waitForText(page, '.log .visitor:not([aria-busy])', 'second, typed offline', 20_000);

    const visitorId = (await pageStorage(page)).local[`cloop:visitor:${site.publicKey}`];
    const mine = await Promise.all(
      (await team.conversations(site.id)).map((c) => team.transcript(site.id, c.id)),
    );
    const bodies = mine.flatMap((t) => t.messages).filter((m) => m.body === 'second, typed offline');
    expect(bodies).toHaveLength(1);
    expect(visitorId).toBeDefined();
    await context.close();
  });

  it('goes full screen on a narrow screen; screenshots of the open widget are taken', async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    const desktop = await visitor();
    await desktop.page.goto(`${host.origin}/`);
    await openWidget(desktop.page);
    await say(desktop.page, 'Where is my order? See https://shop.example/orders');
    await waitForText(desktop.page, '.log .assistant', REPLY);
    await desktop.page.screenshot({ path: join(SCREENSHOTS, 'open-widget.png') });
    await desktop.context.close();

    const phone = await visitor({ viewport: { width: 390, height: 700 } });
    await phone.page.goto(`${host.origin}/`);
    await openWidget(phone.page);
    await phone.page.waitForTimeout(400); // the opening animation
    const box = await phone.page.locator(widget('.panel')).boundingBox();
    expect([box?.x, box?.y, box?.width, box?.height].map((n) => Math.round(n ?? -1))).toEqual([
      0, 0, 390, 700,
    ]);
    await phone.page.screenshot({ path: join(SCREENSHOTS, 'open-widget-phone.png') });
    await phone.context.close();
  });

  it('runs on the demo page of Cloop itself', async () => {
    const { context, page } = await visitor();
    await page.goto(`${cloop.url}/?siteKey=${site.publicKey}`);
    await openWidget(page);
    await say(page, 'Hello from the demo page');
    await waitForText(page, '.log .assistant', REPLY);
    await page.goto(`${cloop.url}/`);
    expect(await page.locator('#without-key').isVisible()).toBe(true);
    expect(await page.locator('cloop-widget').count()).toBe(0);
    await context.close();
  });

  it('leaves the page alone when the API is unreachable', async () => {
    const { context, page } = await visitor();
    const before = pageErrors.length;
    await page.goto(host.page('/down', embedPage('http://127.0.0.1:9', site.publicKey)));
    await page.waitForTimeout(1500);
    expect(await page.locator('cloop-widget').count()).toBe(0);
    expect(await page.locator('h1').textContent()).toBe('Welcome to the shop');
    expect(pageErrors.slice(before)).toEqual([]);
    await context.close();
  });

  it('never got a cookie from any response, and no page error happened', async () => {
    expect(cookieChecks.length).toBeGreaterThan(20);
    expect((await Promise.all(cookieChecks)).filter((url) => url !== null)).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});

import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import type { ClientFrame, ServerFrame, Site, WidgetSeenRequest } from '@cloop/contracts';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import WebSocket from 'ws';

import { axeViolations } from './support/axe';
import { focusedInWidget, launchChromium, pageStorage, waitForText, widget } from './support/browser';
import { type CloopProcess, startCloop } from './support/cloop-process';
import { TeamApi } from './support/console-api';
import { embedPage, type HostSite, startHostSite } from './support/host-site';
import { route } from '@cloop/client/route';

const SCREENSHOTS = join(__dirname, '..', 'screenshots');
// What the assistant says with an empty knowledge base.
const REPLY = "I couldn't find an answer to that in this site's content";

let cloop: CloopProcess;
let host: HostSite;
let browser: Browser;
let team: TeamApi;
let site: Site;
const pageErrors: string[] = [];

beforeAll(async () => {
  // Every visitor of this file comes from 127.0.0.1: a dozen tests, each with new visitors and
  // several pages, would otherwise meet the per-address limits meant for one real visitor.
  const limits = { limit: 100_000, windowMs: 60_000 };
  [cloop, host, browser] = await Promise.all([
    startCloop({
      env: {
        RATE_LIMITS: JSON.stringify({
          public: limits,
          chat: limits,
          newVisitors: limits,
          realtimeConnections: limits,
        }),
      },
    }),
    startHostSite(),
    launchChromium(),
  ]);
  team = await TeamApi.signUp(cloop.url);
  site = await team.createSite([host.origin], {
    languages: { fi: { greeting: 'Hei! Miten voin auttaa?', assistantName: 'Avustaja' } },
  });
  host.page('/', embedPage(cloop.url, site.publicKey));
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await cloop?.stop();
});

async function visitor(
  options: { viewport?: { width: number; height: number }; locale?: string; dark?: boolean } = {},
) {
  const context = await browser.newContext({
    viewport: options.viewport ?? { width: 1280, height: 800 },
    locale: options.locale ?? 'en-US',
    colorScheme: options.dark ? 'dark' : 'light',
  });
  context.on('weberror', (error) => pageErrors.push(error.error().message));
  const page = await context.newPage();
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

/** The visitor's conversation, as the team's inbox lists it: the one with this first message. */
async function conversationWith(body: string, siteId = site.id): Promise<string> {
  for (const conversation of await team.conversations(siteId)) {
    const transcript = await team.transcript(siteId, conversation.id);
    if (transcript.messages.some((message) => message.body === body)) return conversation.id;
  }
  throw new Error(`no conversation with "${body}"`);
}

/** The console's realtime socket, as the conversation view uses it: subscribed to the site. */
async function consoleSocket(): Promise<WebSocket> {
  const socket = new WebSocket(`${cloop.url.replace(/^http/, 'ws')}/api/v1/realtime`, {
    headers: { Origin: cloop.url },
  });
  const send = (frame: ClientFrame) => socket.send(JSON.stringify(frame));
  await new Promise<void>((subscribed, fail) => {
    socket.once('error', fail);
    socket.on('open', () => send({ type: 'auth', accessToken: team.token }));
    socket.on('message', (data: Buffer) => {
      const frame = JSON.parse(data.toString('utf8')) as ServerFrame;
      if (frame.type === 'ready') send({ type: 'subscribe', siteId: site.id });
      if (frame.type === 'subscribed') subscribed();
    });
  });
  return socket;
}

/**
 * A visitor who chatted on `path` and closed the tab: the conversation's id once the widget has told
 * the server that the visitor saw everything in it (so only later replies are unread).
 */
async function chatAndCloseTab(
  context: BrowserContext,
  path: string,
  siteId: string,
  question: string,
): Promise<string> {
  const page = await context.newPage();
  const seen: number[] = [];
  page.on('requestfinished', (request) => {
    if (request.method() === 'PUT' && request.url().endsWith(route('/api/v1/widget/seen')))
      seen.push((request.postDataJSON() as WidgetSeenRequest).seq);
  });
  await page.goto(`${host.origin}${path}`);
  await openWidget(page);
  await say(page, question);
  await waitForText(page, '.log .assistant', REPLY);
  const conversationId = await conversationWith(question, siteId);
  const { conversation } = await team.transcript(siteId, conversationId);
  for (let tries = 0; !seen.includes(conversation.lastSeq); tries += 1) {
    if (tries > 100) throw new Error(`the widget never marked seq ${conversation.lastSeq} seen`);
    await page.waitForTimeout(50);
  }
  await page.close();
  return conversationId;
}

/** A new tab of the same browser (same localStorage, empty sessionStorage), and the widget API calls it makes. */
async function newTab(context: BrowserContext, path: string): Promise<{ tab: Page; calls: string[] }> {
  const tab = await context.newPage();
  const calls: string[] = [];
  tab.on('request', (request) => {
    const { pathname } = new URL(request.url());
    if (pathname.startsWith('/api/v1/widget/') && request.method() !== 'OPTIONS')
      calls.push(`${request.method()} ${pathname}`);
  });
  const unread = tab.waitForResponse((response) => response.url().endsWith(route('/api/v1/widget/unread')));
  await tab.goto(`${host.origin}${path}`);
  await unread;
  await tab.locator(widget('.launcher')).waitFor();
  return { tab, calls };
}

describe('the widget tells the visitor what happened (Chromium)', () => {
  it('has no WCAG 2.2 A/AA violation closed and open, light and dark, with a reply, the email form and an unread badge', async () => {
    for (const dark of [false, true]) {
      const { context, page } = await visitor({ dark });
      await page.goto(`${host.origin}/`);
      await page.locator(widget('.launcher')).waitFor();
      expect(await axeViolations(page)).toEqual([]);

      await openWidget(page);
      const question = `Do you ship to Mars? (${dark ? 'dark' : 'light'})`;
      await say(page, question);
      await waitForText(page, '.log .assistant', REPLY);
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(SCREENSHOTS, `widget-open-${dark ? 'dark' : 'light'}.png`) });

      await page.keyboard.press('Escape');
      await team.reply(site.id, await conversationWith(question), 'Sam here: not yet, sorry!');
      await page.locator(widget('.badge')).filter({ hasText: '1' }).waitFor({ timeout: 10_000 });
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({ path: join(SCREENSHOTS, `widget-unread-${dark ? 'dark' : 'light'}.png`) });
      await context.close();
    }
  });

  it('traps Tab and Shift+Tab in the open panel, closes on Escape and gives the focus back to the launcher', async () => {
    const { context, page } = await visitor();
    await page.goto(`${host.origin}/`);
    await page.locator(widget('.launcher')).waitFor();
    await page.keyboard.press('Tab');
    expect(await focusedInWidget(page)).toBe('launcher');
    await page.keyboard.press('Enter');
    expect(await focusedInWidget(page)).toBe('textarea');
    const forward: (string | null)[] = [];
    for (let i = 0; i < 6; i += 1) {
      await page.keyboard.press('Tab');
      forward.push(await focusedInWidget(page));
    }
    const backward: (string | null)[] = [];
    for (let i = 0; i < 6; i += 1) {
      await page.keyboard.press('Shift+Tab');
      backward.push(await focusedInWidget(page));
    }
    expect([...forward, ...backward]).not.toContain(null);
    expect(forward).toEqual(expect.arrayContaining(['icon', 'primary', 'textarea']));
    await page.keyboard.press('Escape');
    expect(await page.locator(widget('.panel')).isHidden()).toBe(true);
    expect(await focusedInWidget(page)).toBe('launcher');
    await context.close();
  });

  it('shows a badge and a preview for an agent reply while closed, keeps it across a reload from the server alone, and clears it once read', async () => {
    const { context, page } = await visitor();
    await page.goto(`${host.origin}/`);
    await openWidget(page);
    const question = 'Can I talk to a person?';
    await say(page, question);
    await waitForText(page, '.log .assistant', 'Of course');
    await page.locator(widget('header .icon[aria-label="Close chat"]')).click();
    expect(await page.locator(widget('.badge')).isHidden()).toBe(true);

    await team.reply(site.id, await conversationWith(question), 'Hi, this is Owner. Which order?');
    await waitForText(page, '.preview', 'Hi, this is Owner. Which order?', 10_000);
    expect(await page.locator(widget('.badge')).textContent()).toBe('1');
    expect(await page.locator(widget('.launcher')).getAttribute('aria-label')).toBe('Open chat, 1 new');

    // A new page load: the badge comes back from the server's seen mark, not from storage.
    await page.reload();
    await page.locator(widget('.badge')).filter({ hasText: '1' }).waitFor({ timeout: 10_000 });
    const stored = await pageStorage(page);
    expect(Object.keys(stored.local)).toEqual([`cloop:visitor:${site.publicKey}`]);
    expect(Object.keys(stored.session)).toEqual([`cloop:open:${site.publicKey}`]);

    await page.locator(widget('.preview')).click();
    await waitForText(page, '.log .agent', 'Which order?');
    await page.keyboard.press('Escape');
    await page.waitForTimeout(500);
    await page.reload();
    await page.locator(widget('.launcher')).waitFor();
    await page.waitForTimeout(1500);
    expect(await page.locator(widget('.badge')).isHidden()).toBe(true);
    await context.close();
  });

  it('shows a returning visitor who opens the site in a new tab the badge and preview of a reply that came while away', async () => {
    const returning = await team.createSite([host.origin]);
    host.page('/returning', embedPage(cloop.url, returning.publicKey));
    const { context } = await visitor();
    const conversationId = await chatAndCloseTab(context, '/returning', returning.id, 'Where is my parcel?');
    await team.reply(returning.id, conversationId, 'Sam here: your parcel left today.');

    const { tab, calls } = await newTab(context, '/returning');
    await waitForText(tab, '.preview', 'your parcel left today', 10_000);
    expect(await tab.locator(widget('.preview')).textContent()).toBe(
      'Owner: Sam here: your parcel left today.',
    );
    expect(await tab.locator(widget('.badge')).textContent()).toBe('1');
    expect(await tab.locator(widget('.launcher')).getAttribute('aria-label')).toBe('Open chat, 1 new');
    expect(await tab.locator(widget('.panel')).isHidden()).toBe(true);
    // Read, not resumed: no session was opened and nothing new is kept in the browser.
    expect(calls).toEqual(['GET /api/v1/widget/config', 'GET /api/v1/widget/unread']);
    const stored = await pageStorage(tab);
    expect([Object.keys(stored.local), Object.keys(stored.session), stored.cookie]).toEqual([
      [`cloop:visitor:${returning.publicKey}`],
      [],
      '',
    ]);
    expect((await team.conversations(returning.id)).map((c) => c.id)).toEqual([conversationId]);
    expect(await axeViolations(tab)).toEqual([]);

    // Opened from the preview: the session takes over, and replies arrive live from then on.
    await tab.locator(widget('.preview')).click();
    await waitForText(tab, '.log .agent', 'your parcel left today');
    await tab.keyboard.press('Escape');
    expect(await tab.locator(widget('.badge')).isHidden()).toBe(true);
    await team.reply(returning.id, conversationId, 'It arrives tomorrow.');
    await waitForText(tab, '.preview', 'It arrives tomorrow.', 10_000);
    expect(await tab.locator(widget('.badge')).textContent()).toBe('1');
    expect((await team.conversations(returning.id)).map((c) => c.id)).toEqual([conversationId]);
    await context.close();
  });

  it('loads as a returning visitor with nothing unread without a badge or a session, creating no conversation even after the team closed theirs', async () => {
    const quiet = await team.createSite([host.origin]);
    host.page('/quiet', embedPage(cloop.url, quiet.publicKey));
    const { context } = await visitor();
    const conversationId = await chatAndCloseTab(context, '/quiet', quiet.id, 'Just browsing, thanks.');
    for (const closed of [false, true]) {
      if (closed) await team.close(quiet.id, conversationId);
      const { tab, calls } = await newTab(context, '/quiet');
      await tab.waitForTimeout(500);
      expect(await tab.locator(widget('.badge')).isHidden()).toBe(true);
      expect(await tab.locator(widget('.preview')).isHidden()).toBe(true);
      expect(calls).toEqual(['GET /api/v1/widget/config', 'GET /api/v1/widget/unread']);
      await tab.close();
    }
    const conversations = await team.conversations(quiet.id);
    expect(conversations.map((c) => [c.id, c.status])).toEqual([[conversationId, 'closed']]);
    await context.close();
  });

  it("shows the agent's typing from the console's socket", async () => {
    const { context, page } = await visitor();
    await page.goto(`${host.origin}/`);
    await openWidget(page);
    const question = 'Is anyone from the team around?';
    await say(page, question);
    await waitForText(page, '.log .assistant', REPLY);
    const socket = await consoleSocket();
    socket.send(JSON.stringify({ type: 'typing', conversationId: await conversationWith(question) }));
    await waitForText(page, '.typing', 'Team is typing…', 10_000);
    socket.close();
    await context.close();
  });

  it("greets a Finnish visitor with the site's Finnish greeting and header", async () => {
    const { context, page } = await visitor({ locale: 'fi-FI' });
    await page.goto(`${host.origin}/`);
    await openWidget(page);
    await waitForText(page, '.name', 'Avustaja');
    await waitForText(page, '.log', 'Hei! Miten voin auttaa?');
    expect(await page.locator(widget('.ai')).textContent()).toBe('Tekoälyavustaja');
    await page.screenshot({ path: join(SCREENSHOTS, 'widget-open-fi.png') });
    await context.close();
  });

  it('folds the email form away on "Not now", and uses 16 px text in the message box on a phone', async () => {
    const leads = await team.createSite([host.origin], { assistantName: 'Lea' });
    await team.updateSite(leads.id, { leadCapture: true });
    const { context, page } = await visitor({ viewport: { width: 390, height: 844 } });
    await page.goto(host.page('/leads', embedPage(cloop.url, leads.publicKey)));
    await openWidget(page);
    expect(await page.locator(widget('textarea')).evaluate((el) => getComputedStyle(el).fontSize)).toBe(
      '16px',
    );
    await say(page, 'How much is shipping?');
    await waitForText(page, '.log .assistant', REPLY);
    await page.locator(widget('.contact input[type=email]')).waitFor();
    expect(await page.locator(widget('.contact input')).evaluate((el) => getComputedStyle(el).fontSize)).toBe(
      '16px',
    );
    await page.screenshot({ path: join(SCREENSHOTS, 'widget-email-phone.png') });
    await page.locator(widget('.contact .plain')).click();
    expect(await page.locator(widget('.contact')).isHidden()).toBe(true);
    await say(page, 'And to Finland?');
    await page.locator(widget('.log .assistant')).nth(1).waitFor();
    expect(await page.locator(widget('.contact')).isHidden()).toBe(true);
    await context.close();
  });

  it('folds the email form away once an email is given: a thank-you until the chat moves on, and gone after a reload', async () => {
    const leads = await team.createSite([host.origin], { assistantName: 'Lea' });
    await team.updateSite(leads.id, { leadCapture: true });
    const { context, page } = await visitor();
    await page.goto(host.page('/leads-given', embedPage(cloop.url, leads.publicKey)));
    await openWidget(page);
    await say(page, 'Do you sell gift cards?');
    await waitForText(page, '.log .assistant', REPLY);
    await page.locator(widget('.contact input[type=email]')).fill('visitor@example.test');
    await page.locator(widget('.contact .primary')).click();
    await waitForText(page, '.notice', 'The team will contact you at visitor@example.test.');
    expect(await page.locator(widget('.contact')).isHidden()).toBe(true);

    await say(page, 'And vouchers?');
    // Stored (no longer waiting to be sent): the chat has moved on.
    await page
      .locator(widget('.log .visitor:not([aria-busy])'))
      .filter({ hasText: 'And vouchers?' })
      .waitFor();
    expect(
      await page
        .locator(widget('.notice[role=status]'))
        .filter({ hasText: 'visitor@example.test' })
        .isHidden(),
    ).toBe(true);
    expect(await page.locator(widget('.contact')).isHidden()).toBe(true);

    // The server knows the email: a new page load offers no form.
    await page.reload();
    await waitForText(page, '.log .visitor', 'And vouchers?', 10_000);
    expect(await page.locator(widget('.contact')).isHidden()).toBe(true);
    const transcript = await team.transcript(leads.id, (await team.conversations(leads.id))[0]?.id ?? '');
    expect(transcript.conversation.email).toBe('visitor@example.test');
    await context.close();
  });

  it('chimes once for a reply that arrives while closed when the site turned the sound on, and never when it did not', async () => {
    const chiming = await team.createSite([host.origin], { sound: true });
    const counts: Record<string, number> = {};
    for (const [name, key] of [
      ['on', chiming.publicKey],
      ['off', site.publicKey],
    ] as const) {
      const { context, page } = await visitor();
      // Counts the tones the page starts through Web Audio (the widget's chime is one).
      await context.addInitScript(() => {
        const counter = window as unknown as { tones?: number };
        // eslint-disable-next-line @typescript-eslint/unbound-method -- applied below with its node as `this`
        const start = OscillatorNode.prototype.start;
        OscillatorNode.prototype.start = function (...args) {
          counter.tones = (counter.tones ?? 0) + 1;
          start.apply(this, args);
        };
      });
      await page.goto(host.page(`/sound-${name}`, embedPage(cloop.url, key)));
      await openWidget(page);
      const question = `Anyone there? (sound ${name})`;
      await say(page, question);
      await waitForText(page, '.log .assistant', REPLY);
      await page.keyboard.press('Escape');
      const siteId = name === 'on' ? chiming.id : site.id;
      await team.reply(siteId, await conversationWith(question, siteId), 'Yes, Sam here.');
      await page.locator(widget('.badge')).filter({ hasText: '1' }).waitFor({ timeout: 10_000 });
      await page.waitForTimeout(300);
      counts[name] = await page.evaluate(() => (window as unknown as { tones?: number }).tones ?? 0);
      await context.close();
    }
    expect(counts).toEqual({ on: 1, off: 0 });
  });

  it('raised no page error', () => {
    expect(pageErrors).toEqual([]);
  });
});

import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import type { PrivacyExport, Site } from '@cloop/contracts';
import type { Browser, Page } from 'playwright-core';

import { launchChromium, pageStorage, waitForText, widget } from './support/browser';
import { type CloopProcess, startCloop } from './support/cloop-process';
import { TeamApi } from './support/console-api';
import { embedPage, type HostSite, startHostSite } from './support/host-site';

const SCREENSHOTS = join(__dirname, '..', 'screenshots');

let cloop: CloopProcess;
let host: HostSite;
let browser: Browser;
let team: TeamApi;
let site: Site;

beforeAll(async () => {
  [cloop, host, browser] = await Promise.all([startCloop(), startHostSite(), launchChromium()]);
  team = await TeamApi.signUp(cloop.url);
  site = await team.createSite([host.origin]);
  host.page('/', embedPage(cloop.url, site.publicKey));
  mkdirSync(SCREENSHOTS, { recursive: true });
  host.page('/other', embedPage(cloop.url, site.publicKey, { body: '<h1>Another page</h1>' }));
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await cloop?.stop();
});

const visitorKey = () => `cloop:visitor:${site.publicKey}`;

async function openAndAsk(page: Page, text: string): Promise<void> {
  await page.locator(widget('.launcher')).click();
  await page.locator(widget('textarea')).fill(text);
  await page.keyboard.press('Enter');
  await waitForText(page, '.log .assistant', 'Thanks for your message');
}

async function menu(page: Page, item: string): Promise<void> {
  await page.locator(widget('header [aria-label="Privacy options"]')).click();
  await page.locator(widget('.menu button')).filter({ hasText: item }).click();
}

/** The visitor ids this page's widget authenticated its sockets with, in order. */
function socketIdentities(page: Page): string[] {
  const ids: string[] = [];
  page.on('websocket', (socket) =>
    socket.on('framesent', ({ payload }) => {
      const frame = JSON.parse(String(payload)) as { type: string; visitorId?: string };
      if (frame.type === 'auth' && frame.visitorId) ids.push(frame.visitorId);
    }),
  );
  return ids;
}

describe('privacy self-service in the widget', () => {
  it('downloads the visitor’s data as a JSON file', async () => {
    const context = await browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    await page.goto(`${host.origin}/`);
    await openAndAsk(page, 'My order number is 4711');
    const visitorId = (await pageStorage(page)).local[visitorKey()];

    const [download] = await Promise.all([page.waitForEvent('download'), menu(page, 'Download my data')]);
    expect(download.suggestedFilename()).toBe('cloop-my-data.json');
    const document = JSON.parse(readFileSync(await download.path(), 'utf8')) as PrivacyExport;
    expect(document.format).toBe('cloop.privacy-export.v1');
    expect(document.subject).toEqual({ kind: 'visitor', value: visitorId });
    expect(JSON.stringify(document.data)).toContain('My order number is 4711');
    await waitForText(page, '.notice', 'Your data was downloaded');
    await context.close();
  });

  it('deletes the visitor’s data after confirmation, forgets them in every open tab, and starts fresh as a new visitor', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${host.origin}/`);
    await openAndAsk(page, 'Please forget me');
    const oldId = (await pageStorage(page)).local[visitorKey()];
    const [conversation] = await team
      .conversations(site.id)
      .then((all) => all.filter((c) => c.messageCount > 0 && c.entryUrl?.startsWith(host.origin)));
    expect(conversation).toBeDefined();

    // A second tab of the same visitor, with its own socket.
    const other = await context.newPage();
    const otherSockets = socketIdentities(other);
    await other.goto(`${host.origin}/other`);
    await other.locator(widget('.launcher')).click();
    await waitForText(other, '.log .visitor', 'Please forget me');
    await other.waitForTimeout(500);
    expect(otherSockets).toEqual([oldId]);

    await page.locator(widget('header [aria-label="Privacy options"]')).click();
    await page.locator(widget('.menu')).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'privacy-menu.png') });
    await page.locator(widget('.menu button')).filter({ hasText: 'Delete my data' }).click();
    await page.locator(widget('.confirm')).waitFor();
    await page.screenshot({ path: join(SCREENSHOTS, 'privacy-confirm.png') });
    // Cancelling keeps everything.
    await page.locator(widget('.confirm .plain')).click();
    expect((await pageStorage(page)).local[visitorKey()]).toBe(oldId);

    await menu(page, 'Delete my data');
    await page.locator(widget('.confirm .danger')).click();
    await waitForText(page, '.notice', 'Your data was deleted');
    expect((await pageStorage(page)).local).toEqual({});
    expect(await page.locator(widget('.log .visitor')).count()).toBe(0);
    expect(await team.conversations(site.id)).not.toContainEqual(
      expect.objectContaining({ id: conversation?.id }),
    );

    // The other tab was told over its socket: it forgot the visitor and did not reconnect as them.
    await waitForText(other, '.notice', 'Your data was deleted');
    expect(await other.locator(widget('.log .visitor')).count()).toBe(0);
    await other.waitForTimeout(2500);
    expect(otherSockets).toEqual([oldId]);

    // The next message makes a new anonymous visitor.
    await page.locator(widget('textarea')).fill('Hello again');
    await page.keyboard.press('Enter');
    await waitForText(page, '.log .assistant', 'Thanks for your message');
    const newId = (await pageStorage(page)).local[visitorKey()];
    expect(newId).toMatch(/^[0-9a-f-]{36}$/);
    expect(newId).not.toBe(oldId);
    await context.close();
  });

  it('says nothing is stored for a visitor who never wrote, without any request', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(`${host.origin}/`);
    await page.locator(widget('.launcher')).click();
    const before = requests.length;
    await menu(page, 'Delete my data');
    await page.locator(widget('.confirm .danger')).click();
    await waitForText(page, '.notice', 'Nothing is stored about you yet');
    expect(requests.slice(before)).toEqual([]);
    expect((await pageStorage(page)).local).toEqual({});
    await context.close();
  });
});

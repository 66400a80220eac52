import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import type { Site } from '@cloop/contracts';
import type { Browser, BrowserContext, Page } from 'playwright-core';

import { axeViolations } from './support/axe';
import { launchChromium, waitForText, widget } from './support/browser';
import { type CloopProcess, startCloop } from './support/cloop-process';
import { TeamApi } from './support/console-api';
import { embedPage, type HostSite, startHostSite } from './support/host-site';
import { widgetLayoutProblems } from './support/layout';

/** Git-ignored (`screenshots/`): pictures for people to look at, not compared by the test. */
const SCREENSHOTS = join(__dirname, '..', 'screenshots');
const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;
type Device = keyof typeof VIEWPORTS;
const LANGUAGES = {
  en: {
    locale: 'en-US',
    question: 'How long does delivery to Finland take?',
    reply:
      'Sam here: your order leaves our warehouse today, and I have asked the courier to call you before they arrive.',
  },
  fi: {
    locale: 'fi-FI',
    question: 'Delivery to Finland: how long does it take?',
    reply:
      'Sami täällä: tilauksesi lähtee varastostamme tänään, ja pyysin kuljetusliikettä soittamaan sinulle ennen toimitusta.',
  },
} as const;
type Language = keyof typeof LANGUAGES;
const GUIDE_TITLE = 'Shipping guide';

let cloop: CloopProcess;
let host: HostSite;
let browser: Browser;
let team: TeamApi;
let site: Site;
let guideUrl: string;
const pageErrors: string[] = [];

beforeAll(async () => {
  // The crawler reads the host site on loopback, which only this setting allows.
  [cloop, host, browser] = await Promise.all([
    startCloop({ env: { CRAWL_ALLOW_PRIVATE_NETWORKS: 'true' } }),
    startHostSite(),
    launchChromium(),
  ]);
  team = await TeamApi.signUp(cloop.url);
  site = await team.createSite([host.origin], {
    languages: { fi: { greeting: 'Hei! Miten voin auttaa?', assistantName: 'Avustaja' } },
    privacyUrl: `${host.origin}/privacy`,
  });
  await team.updateSite(site.id, { leadCapture: true });
  host.page('/', embedPage(cloop.url, site.publicKey));
  guideUrl = host.page(
    '/guide',
    `<!doctype html><html lang="en"><head><title>${GUIDE_TITLE}</title></head><body><h1>Delivery to Finland</h1>` +
      '<p>How long does delivery to Finland take? Delivery to Finland takes 2 to 4 working days. ' +
      'Delivery to Finland is free for orders over 50 euros.</p></body></html>',
  );
  await team.crawl(site.id, guideUrl);
  mkdirSync(SCREENSHOTS, { recursive: true });
}, 240_000);

afterAll(async () => {
  await browser?.close();
  await host?.stop();
  await cloop?.stop();
});

async function visitor(
  language: Language,
  dark: boolean,
  device: Device,
  storageState?: Awaited<ReturnType<BrowserContext['storageState']>>,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: VIEWPORTS[device],
    locale: LANGUAGES[language].locale,
    colorScheme: dark ? 'dark' : 'light',
    storageState,
  });
  context.on('weberror', (error) => pageErrors.push(error.error().message));
  if (storageState) {
    // A later page in the tab where the visitor chatted (the panel's state is in sessionStorage,
    // which a new context does not carry): the widget resumes their session as the page loads.
    await context.addInitScript(
      ([origin, key]) => location.origin === origin && sessionStorage.setItem(key, '0'),
      [host.origin, `cloop:open:${site.publicKey}`],
    );
  }
  const page = await context.newPage();
  await page.goto(`${host.origin}/`);
  await page.locator(widget('.launcher')).waitFor();
  return { context, page };
}

/** The visitor's conversation, as the team's inbox lists it: the one with this first message. */
async function conversationWith(body: string): Promise<string> {
  for (const conversation of await team.conversations(site.id)) {
    const transcript = await team.transcript(site.id, conversation.id);
    if (transcript.messages.some((message) => message.body === body)) return conversation.id;
  }
  throw new Error(`no conversation with "${body}"`);
}

/** axe-core and the layout check on the page as it is, then a screenshot of it. */
async function check(page: Page, shot: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${shot}.png`) });
  expect({ shot, violations: await axeViolations(page) }).toEqual({ shot, violations: [] });
  expect({ shot, problems: await widgetLayoutProblems(page) }).toEqual({ shot, problems: [] });
}

const combinations = (['light', 'dark'] as const).flatMap((theme) =>
  (Object.keys(VIEWPORTS) as Device[]).map((device) => ({ theme, dark: theme === 'dark', device })),
);

describe('the widget in English and Finnish, light and dark, on a desktop and a phone (Chromium)', () => {
  it.each(Object.keys(LANGUAGES) as Language[])(
    '%s: cites its source as a titled link, then fits the viewport with no WCAG 2.2 A/AA violation closed (badge and preview), open and with its privacy menu, in every combination',
    async (language) => {
      const { question, reply } = LANGUAGES[language];
      // One conversation: a question the crawled page answers, then a reply from the team while closed.
      const first = await visitor(language, false, 'desktop');
      await first.page.locator(widget('.launcher')).click();
      await first.page.locator(widget('textarea')).fill(question);
      await first.page.keyboard.press('Enter');
      const link = first.page.locator(widget('.log .assistant .sources a'));
      await link.waitFor({ timeout: 15_000 });
      expect(await link.getAttribute('href')).toBe(guideUrl);
      expect(await link.textContent()).toContain(GUIDE_TITLE);
      expect(await link.getAttribute('target')).toBe('_blank');
      expect(await link.getAttribute('rel')).toBe('noopener noreferrer');
      await first.page.keyboard.press('Escape');
      await team.reply(site.id, await conversationWith(question), reply);
      await first.page.locator(widget('.badge')).filter({ hasText: '1' }).waitFor({ timeout: 10_000 });
      // The same visitor (their UUID in localStorage) in each combination; the badge comes from the server.
      const returning = await first.context.storageState();
      await first.context.close();

      for (const { theme, dark, device } of combinations) {
        const { context, page } = await visitor(language, dark, device, returning);
        await page.locator(widget('.preview')).waitFor({ timeout: 10_000 });
        await check(page, `widget-${language}-${theme}-${device}-closed`);
        await context.close();
      }
      for (const { theme, dark, device } of combinations) {
        const { context, page } = await visitor(language, dark, device, returning);
        await page.locator(widget('.launcher')).click();
        await waitForText(page, '.log .agent', reply.slice(0, 20));
        await page.locator(widget('.contact input[type=email]')).waitFor();
        await check(page, `widget-${language}-${theme}-${device}-open`);
        await page.locator(widget('header [aria-haspopup]')).click();
        await page.locator(widget('.menu a[href$="/privacy"]')).waitFor();
        await check(page, `widget-${language}-${theme}-${device}-menu`);
        await context.close();
      }
    },
    180_000,
  );

  it('draws the panel dark when the visitor prefers dark, and light otherwise', async () => {
    const colours: Record<string, { panel: string; text: string }> = {};
    for (const dark of [false, true]) {
      const { context, page } = await visitor('en', dark, 'desktop');
      await page.locator(widget('.launcher')).click();
      colours[dark ? 'dark' : 'light'] = await page.locator(widget('.panel')).evaluate((panel) => ({
        panel: getComputedStyle(panel).backgroundColor,
        text: getComputedStyle(panel).color,
      }));
      await context.close();
    }
    const luminance = (rgb: string) => {
      const [r = 0, g = 0, b = 0] = (rgb.match(/\d+/g) ?? []).map(Number);
      return (0.2126 * r + 0.7152 * g + 0.0722 * b) / 255;
    };
    expect(luminance(colours['light']?.panel ?? '')).toBeGreaterThan(0.9);
    expect(luminance(colours['light']?.text ?? '')).toBeLessThan(0.2);
    expect(luminance(colours['dark']?.panel ?? '')).toBeLessThan(0.15);
    expect(luminance(colours['dark']?.text ?? '')).toBeGreaterThan(0.8);
  });

  it('the layout check finds text that overflows its box and an element that leaves the viewport', async () => {
    const { context, page } = await visitor('en', false, 'phone');
    expect(await widgetLayoutProblems(page)).toEqual([]);
    await page.evaluate(() => {
      const wrapper = document.querySelector('cloop-widget')?.shadowRoot?.querySelector('.w');
      const tight = document.createElement('div');
      tight.style.cssText = 'position:fixed;top:10px;left:10px;width:60px;white-space:nowrap';
      tight.textContent = 'A sentence far too long for sixty pixels';
      const astray = document.createElement('button');
      astray.style.cssText = 'position:fixed;top:100px;left:350px;width:80px';
      astray.textContent = 'Off';
      wrapper?.append(tight, astray);
    });
    const problems = (await widgetLayoutProblems(page)).join('\n');
    expect(problems).toMatch(/text of div "A sentence far too long.*overflows it/);
    expect(problems).toMatch(/button "Off" leaves the viewport/);
    await context.close();
  });

  it('raised no page error', () => {
    expect(pageErrors).toEqual([]);
  });
});

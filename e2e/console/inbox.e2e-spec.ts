import { randomUUID } from 'node:crypto';

import type { Conversation, Message, Page as ListPage, Site } from '@cloop/contracts';
import type { Browser, Locator, Page } from 'playwright-core';

import { type Account, createAccount, createSiteFor, signIn } from './support/accounts';
import { checkedEachTest, launchChromium, openPage, screenshot } from './support/browser';
import { accessibilityViolations, layoutProblems } from './support/page-checks';
import { type RunningApp, startApp } from './support/server';
import { Visitor } from './support/visitor';
import { route } from '@cloop/client/route';

/**
 * The inbox as a team reads it (issue 17): each conversation's latest words and who wrote them,
 * unread until someone of the team opens it, kept right live; assistant and agent told apart.
 */

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

async function newPage(settings?: { locale: 'en' | 'fi'; theme: 'light' | 'dark' }): Promise<Page> {
  const watched = await openPage(browser, app.origin);
  pages.push(watched);
  if (settings) {
    await watched.page.addInitScript(
      ([locale, theme]) => {
        localStorage.setItem('cloop.locale', locale);
        localStorage.setItem('cloop.theme', theme);
      },
      [settings.locale, settings.theme],
    );
  }
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

/** Retries an assertion until it passes or time runs out (for what the server does meanwhile). */
async function eventually(check: () => Promise<void>, timeoutMs = 15_000): Promise<void> {
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

/** A visitor who asked and got the assistant's answer (so nothing is still being written). */
async function askAndAwaitAnswer(site: Site, question: string) {
  const visitor = new Visitor(app.origin, site.publicKey, app.origin);
  const session = await visitor.startSession(`${app.origin}/pricing`);
  await visitor.send(question);
  let answer: Message | undefined;
  await eventually(async () => {
    answer = (await visitor.messages()).find((m) => m.author === 'assistant');
    expect(answer).toBeDefined();
  });
  return { visitor, conversationId: session.conversation.id, answer: answer as Message };
}

/**
 * A team with two conversations: `unanswered` (a visitor's question and the assistant's answer,
 * nobody of the team has looked) and `handled` (an agent replied after the assistant).
 */
async function teamWithTwoConversations() {
  const account = await createAccount(app.origin, 'Aino Admin');
  const site = await createSiteFor(app.origin, account, 'Northwind Outdoor');
  const handled = await askAndAwaitAnswer(site, 'What is your return policy?');
  await api(
    account,
    route('/api/v1/sites/{siteId}/conversations/{conversationId}/messages', {
      siteId: site.id,
      conversationId: handled.conversationId,
    }),
    {
      method: 'POST',
      body: JSON.stringify({ id: randomUUID(), body: 'Aino here: 30 days, free of charge.' }),
    },
  );
  const unanswered = await askAndAwaitAnswer(site, 'Do you ship to Finland?');
  return { account, site, handled, unanswered };
}

const item = (page: Page, conversationId: string): Locator =>
  page.locator(`[data-testid=conversation-item][href="/console/inbox/${conversationId}"]`);

async function conversation(account: Account, siteId: string, id: string): Promise<Conversation> {
  const page = await api<ListPage<Conversation>>(
    account,
    route('/api/v1/sites/{siteId}/conversations', { siteId }),
  );
  const found = page.items.find((c) => c.id === id);
  if (!found) throw new Error(`conversation ${id} is not listed`);
  return found;
}

describe('inbox: preview, last author and unread state', () => {
  it('shows each preview with its author, unread until opened, and unread again when the visitor writes', async () => {
    const { account, site, handled, unanswered } = await teamWithTwoConversations();
    const page = await newPage();
    await signIn(page, app.origin, account);
    await page.waitForSelector('[data-testid=live-status].on');
    const fresh = item(page, unanswered.conversationId);
    const replied = item(page, handled.conversationId);
    await fresh.waitFor();

    // The assistant answered last, and nobody of the team has read it: bold, a dot and the word.
    await expect(fresh.locator('[data-testid=last-author]').textContent()).resolves.toBe('Assistant:');
    await expect(fresh.locator('[data-testid=conversation-preview]').textContent()).resolves.toContain(
      unanswered.answer.body.slice(0, 40),
    );
    await expect(fresh.getAttribute('data-unread')).resolves.toBe('true');
    await expect(fresh.locator('[data-testid=unread-label]').textContent()).resolves.toBe('Unread: ');
    await expect(fresh.locator('.unread-dot').isVisible()).resolves.toBe(true);
    const weight = (row: Locator) =>
      row.locator('.conv-title').evaluate((element) => getComputedStyle(element).fontWeight);
    await expect(weight(fresh)).resolves.toBe('700');

    // The agent's own reply counts as read.
    await expect(replied.locator('[data-testid=last-author]').textContent()).resolves.toBe('Team:');
    await expect(replied.locator('[data-testid=conversation-preview]').textContent()).resolves.toContain(
      'Aino here: 30 days, free of charge.',
    );
    await expect(replied.getAttribute('data-unread')).resolves.toBe('false');
    await expect(replied.locator('[data-testid=unread-label]').count()).resolves.toBe(0);
    await expect(weight(replied)).resolves.toBe('600');

    // A long preview is cut with an ellipsis, inside the list.
    await expect(
      fresh
        .locator('[data-testid=conversation-preview]')
        .evaluate((element) => getComputedStyle(element).textOverflow),
    ).resolves.toBe('ellipsis');
    expect(await layoutProblems(page)).toEqual([]);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'inbox-unread-en-light');

    // Opening it marks it read, here and on the server.
    await fresh.click();
    await page.waitForSelector('[data-testid=conversation-detail]');
    await page.waitForSelector(
      `[data-testid=conversation-item][href="/console/inbox/${unanswered.conversationId}"][data-unread=false]`,
    );
    await expect(weight(fresh)).resolves.toBe('600');
    await eventually(async () => {
      const read = await conversation(account, site.id, unanswered.conversationId);
      expect(read.teamSeenSeq).toBe(read.lastSeq);
    });

    // While this one is open, the other visitor writes: that one is unread again, at the top, with
    // the visitor's words (the assistant stays out of a conversation an agent has answered).
    await handled.visitor.send('Thanks, and the shipping back?');
    await page.waitForSelector(
      `[data-testid=conversation-item][href="/console/inbox/${handled.conversationId}"][data-unread=true]`,
    );
    await expect(replied.locator('[data-testid=last-author]').textContent()).resolves.toBe('Visitor:');
    await expect(replied.locator('[data-testid=conversation-preview]').textContent()).resolves.toContain(
      'Thanks, and the shipping back?',
    );
    await expect(page.locator('[data-testid=conversation-item]').first().getAttribute('href')).resolves.toBe(
      `/console/inbox/${handled.conversationId}`,
    );

    // The one in front of the agent stays read as its visitor writes and the assistant answers.
    await unanswered.visitor.send('Also: can I pick it up in Helsinki?');
    await page.waitForSelector('[data-testid=message-body]:has-text("pick it up in Helsinki?")');
    await page.locator('[data-testid=message][data-author=assistant]').nth(1).waitFor({ timeout: 20_000 });
    await eventually(async () => {
      const open = await conversation(account, site.id, unanswered.conversationId);
      expect(open).toMatchObject({ lastSeq: 4, lastMessageAuthor: 'assistant', teamSeenSeq: 4 });
    });
    await expect(fresh.getAttribute('data-unread')).resolves.toBe('false');
    await screenshot(page, 'inbox-live-unread-en-light');
  });

  it("clears the unread state in a colleague's open inbox when one member reads the conversation", async () => {
    const { account, unanswered } = await teamWithTwoConversations();
    const [mine, colleague] = [await newPage(), await newPage()];
    await signIn(mine, app.origin, account);
    await signIn(colleague, app.origin, account);
    await colleague.waitForSelector('[data-testid=live-status].on');
    const theirs = item(colleague, unanswered.conversationId);
    await expect(theirs.getAttribute('data-unread')).resolves.toBe('true');

    await item(mine, unanswered.conversationId).click();
    await mine.waitForSelector('[data-testid=conversation-detail]');
    await colleague.waitForSelector(
      `[data-testid=conversation-item][href="/console/inbox/${unanswered.conversationId}"][data-unread=false]`,
    );
  });

  it('says in Finnish who wrote last and what is unread, and passes axe in the dark theme', async () => {
    const { account, unanswered, handled } = await teamWithTwoConversations();
    const page = await newPage({ locale: 'fi', theme: 'dark' });
    await signIn(page, app.origin, account);
    const fresh = item(page, unanswered.conversationId);
    await fresh.waitFor();
    await expect(fresh.locator('[data-testid=last-author]').textContent()).resolves.toBe('Avustaja:');
    await expect(fresh.locator('[data-testid=unread-label]').textContent()).resolves.toBe('Lukematon: ');
    await expect(
      item(page, handled.conversationId).locator('[data-testid=last-author]').textContent(),
    ).resolves.toBe('Tiimi:');
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'inbox-unread-fi-dark');
  });
});

describe('conversation view: assistant and agent', () => {
  it.each([
    ['en', 'light', 'Automatic answer', 'Team reply'],
    ['fi', 'dark', 'Automaattinen vastaus', 'Tiimin vastaus'],
  ] as const)(
    'tells them apart in words and looks (%s, %s)',
    async (locale, theme, assistantTag, agentTag) => {
      const { account, handled } = await teamWithTwoConversations();
      const page = await newPage({ locale, theme });
      await signIn(page, app.origin, account);
      await page.goto(`${app.origin}/console/inbox/${handled.conversationId}`);
      const assistant = page.locator('[data-testid=message][data-author=assistant]').first();
      const agent = page.locator('[data-testid=message][data-author=agent]').first();
      await agent.waitFor();

      await expect(assistant.locator('[data-testid=message-tag]').textContent()).resolves.toBe(assistantTag);
      await expect(agent.locator('[data-testid=message-tag]').textContent()).resolves.toBe(agentTag);
      await expect(agent.locator('.msg-meta strong').textContent()).resolves.toBe('Aino Admin');
      await expect(
        page.locator('[data-testid=message][data-author=visitor] [data-testid=message-tag]').count(),
      ).resolves.toBe(0);
      const look = (message: Locator) =>
        message.evaluate((element) => {
          const style = getComputedStyle(element);
          return `${style.backgroundColor} ${style.borderStyle}`;
        });
      expect(await look(assistant)).not.toBe(await look(agent));
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, `conversation-authors-${locale}-${theme}`);
    },
  );
});

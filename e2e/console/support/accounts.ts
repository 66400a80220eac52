import { randomUUID } from 'node:crypto';

import type { AuthResponse, MeResponse, Site } from '@cloop/contracts';
import type { Page } from 'playwright-core';

export const PASSWORD = 'correct horse battery staple';

export interface Account {
  email: string;
  name: string;
  organizationId: string;
  accessToken: string;
}

async function json<T>(response: Response): Promise<T> {
  if (!response.ok) throw new Error(`${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** An account made through the API, for tests about something other than signing up. */
export async function createAccount(origin: string, name = 'Test Agent'): Promise<Account> {
  const email = `agent-${randomUUID().slice(0, 8)}@example.test`;
  const auth = await json<AuthResponse>(
    await fetch(`${origin}/api/v1/auth/signup`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ email, password: PASSWORD, name }),
    }),
  );
  const me = await json<MeResponse>(
    await fetch(`${origin}/api/v1/auth/me`, { headers: { Authorization: `Bearer ${auth.accessToken}` } }),
  );
  return { email, name, organizationId: me.organizations[0]?.id ?? '', accessToken: auth.accessToken };
}

export async function createSiteFor(origin: string, account: Account, name: string): Promise<Site> {
  return json<Site>(
    await fetch(`${origin}/api/v1/sites`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${account.accessToken}` },
      body: JSON.stringify({ organizationId: account.organizationId, name, allowedOrigins: [origin] }),
    }),
  );
}

/** Signs in through the console's own form. */
export async function signIn(page: Page, origin: string, account: Account): Promise<void> {
  await page.goto(`${origin}/console/sign-in`);
  await page.fill('input[name=email]', account.email);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL(/\/console\/inbox/);
}

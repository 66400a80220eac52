import { randomUUID } from 'node:crypto';

import type {
  ApiKeyScope,
  ApiKeyWithSecret,
  AuthResponse,
  Conversation,
  KnowledgeSource,
  MeResponse,
  Page,
  Site,
  Transcript,
  UpdateSiteRequest,
} from '@cloop/contracts';
import { route } from '@cloop/client/route';

/** The site's team, through the real API: what the console will do. */
export class TeamApi {
  private constructor(
    private readonly url: string,
    readonly token: string,
    readonly organizationId: string,
  ) {}

  static async signUp(url: string): Promise<TeamApi> {
    const email = `owner-${randomUUID().slice(0, 8)}@example.test`;
    const auth = await call<AuthResponse>(url, 'POST', route('/api/v1/auth/signup'), null, {
      email,
      password: 'correct horse battery staple',
      name: 'Owner',
    });
    const me = await call<MeResponse>(url, 'GET', route('/api/v1/auth/me'), auth.accessToken);
    const own = me.organizations.find((organization) => organization.role === 'owner');
    if (!own) throw new Error('no organization');
    return new TeamApi(url, auth.accessToken, own.id);
  }

  /** An organization API key for an integration; its secret is in the answer, the only time. */
  createApiKey(name: string, scopes: ApiKeyScope[]): Promise<ApiKeyWithSecret> {
    return call(
      this.url,
      'POST',
      route('/api/v1/organizations/{orgId}/api-keys', { orgId: this.organizationId }),
      this.token,
      {
        name,
        scopes,
      },
    );
  }

  createSite(allowedOrigins: string[], widget: Record<string, unknown> = {}): Promise<Site> {
    return call(this.url, 'POST', route('/api/v1/sites'), this.token, {
      organizationId: this.organizationId,
      name: 'Shop',
      allowedOrigins,
      widget: { assistantName: 'Ada', greeting: 'Hi! How can I help?', ...widget },
    });
  }

  updateSite(siteId: string, change: UpdateSiteRequest): Promise<Site> {
    return call(this.url, 'PATCH', route('/api/v1/sites/{siteId}', { siteId }), this.token, change);
  }

  /** Crawls one page into the site's knowledge and waits until it is indexed. */
  async crawl(siteId: string, url: string): Promise<KnowledgeSource> {
    const base = route('/api/v1/sites/{siteId}/knowledge/sources', { siteId });
    const source = await call<KnowledgeSource>(this.url, 'POST', base, this.token, {
      type: 'crawl',
      url,
      pageLimit: 1,
    });
    for (let tries = 0; tries < 300; tries += 1) {
      const now = await call<KnowledgeSource>(this.url, 'GET', `${base}/${source.id}`, this.token);
      if (now.status === 'failed') throw new Error(`crawl of ${url} failed: ${now.error}`);
      if (now.status === 'ready') return now;
      await new Promise((later) => setTimeout(later, 100));
    }
    throw new Error(`crawl of ${url} did not finish in 30 s`);
  }

  async conversations(siteId: string): Promise<Conversation[]> {
    return (
      await call<Page<Conversation>>(
        this.url,
        'GET',
        route('/api/v1/sites/{siteId}/conversations', { siteId }),
        this.token,
      )
    ).items;
  }

  transcript(siteId: string, conversationId: string): Promise<Transcript> {
    return call(
      this.url,
      'GET',
      route('/api/v1/sites/{siteId}/conversations/{conversationId}', { siteId, conversationId }),
      this.token,
    );
  }

  close(siteId: string, conversationId: string): Promise<Conversation> {
    return call(
      this.url,
      'PATCH',
      route('/api/v1/sites/{siteId}/conversations/{conversationId}', { siteId, conversationId }),
      this.token,
      {
        status: 'closed',
      },
    );
  }

  reply(siteId: string, conversationId: string, body: string): Promise<unknown> {
    return call(
      this.url,
      'POST',
      route('/api/v1/sites/{siteId}/conversations/{conversationId}/messages', { siteId, conversationId }),
      this.token,
      {
        id: randomUUID(),
        body,
      },
    );
  }
}

async function call<T>(
  url: string,
  method: string,
  path: string,
  token: string | null,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${url}${path}`, {
    method,
    headers: {
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'Content-Type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

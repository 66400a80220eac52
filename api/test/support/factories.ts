import { randomUUID } from 'node:crypto';

import type {
  ApiKeyScope,
  ApiKeyWithSecret,
  AuthResponse,
  Conversation,
  CreateApiKeyRequest,
  CreateSiteRequest,
  MeResponse,
  Message,
  Page,
  SendMessageRequest,
  Site,
  Transcript,
  WidgetMessagesResponse,
  WidgetSessionRequest,
  WidgetSessionResponse,
} from '@cloop/contracts';
import type TestAgent from 'supertest/lib/agent';
import { route } from '@cloop/client/route';

export const PASSWORD = 'correct horse battery staple';

let sequence = 0;

export function uniqueEmail(label = 'user'): string {
  sequence += 1;
  return `${label}-${sequence}-${randomUUID().slice(0, 8)}@example.test`;
}

export interface SignedUpUser {
  email: string;
  userId: string;
  organizationId: string;
  accessToken: string;
  refreshToken: string;
  auth: { Authorization: string };
}

/** A new account with its own organization (the user owns it). */
export async function signUp(
  http: TestAgent,
  overrides: { email?: string; name?: string } = {},
): Promise<SignedUpUser> {
  const email = overrides.email ?? uniqueEmail();
  const response = await http
    .post(route('/api/v1/auth/signup'))
    .send({ email, password: PASSWORD, name: overrides.name ?? 'Test User' })
    .expect(201);
  const body = response.body as AuthResponse;
  const auth = { Authorization: `Bearer ${body.accessToken}` };
  const me = (await http.get(route('/api/v1/auth/me')).set(auth).expect(200)).body as MeResponse;
  const own = me.organizations.find((organization) => organization.role === 'owner');
  if (!own) throw new Error('signup created no owned organization');
  return {
    email,
    userId: body.user.id,
    organizationId: own.id,
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
    auth,
  };
}

export async function createSite(
  http: TestAgent,
  owner: SignedUpUser,
  overrides: Partial<CreateSiteRequest> = {},
): Promise<Site> {
  const response = await http
    .post(route('/api/v1/sites'))
    .set(owner.auth)
    .send({ organizationId: owner.organizationId, name: 'Example shop', ...overrides })
    .expect(201);
  return response.body as Site;
}

/** Adds an existing user to the owner's organization with a role: invited, then accepted by them. */
export async function addMember(
  http: TestAgent,
  owner: SignedUpUser,
  member: SignedUpUser,
  role: 'member' | 'admin' | 'owner',
): Promise<void> {
  const invited = await http
    .post(route('/api/v1/organizations/{orgId}/members', { orgId: owner.organizationId }))
    .set(owner.auth)
    .send({ email: member.email, role })
    .expect(201);
  const { invitation } = invited.body as { invitation: { id: string } };
  await http
    .post(route('/api/v1/invitations/{invitationId}/accept', { invitationId: invitation.id }))
    .set(member.auth)
    .expect(200);
}

export interface VisitorOptions {
  /** The page's `Origin`; defaults to the site's first allowed origin, `null` sends none. */
  origin?: string | null;
  /** The browser's visitor uuid; a new one by default. */
  visitorId?: string;
  /** Sent as `X-Forwarded-For`, which the test app trusts as the client IP. */
  ip?: string;
}

/** The headers the widget sends for one visitor of a site. */
export function visitorHeaders(
  site: Pick<Site, 'publicKey' | 'allowedOrigins'>,
  options: VisitorOptions = {},
): Record<string, string> {
  const origin = options.origin === undefined ? site.allowedOrigins[0] : options.origin;
  return {
    'X-Cloop-Site-Key': site.publicKey,
    'X-Cloop-Visitor': options.visitorId ?? randomUUID(),
    ...(origin ? { Origin: origin } : {}),
    ...(options.ip ? { 'X-Forwarded-For': options.ip } : {}),
  };
}

export interface VisitorSession extends WidgetSessionResponse {
  visitorId: string;
  headers: Record<string, string>;
}

/** Opens (or resumes) a widget session, as the widget does when it loads. */
export async function createVisitorSession(
  http: TestAgent,
  site: Pick<Site, 'publicKey' | 'allowedOrigins'>,
  options: VisitorOptions & Partial<WidgetSessionRequest> = {},
): Promise<VisitorSession> {
  const headers = visitorHeaders(site, options);
  const body: WidgetSessionRequest = {
    entryUrl: options.entryUrl ?? 'https://shop.example/products',
    ...(options.locale ? { locale: options.locale } : {}),
  };
  const response = await http.post(route('/api/v1/widget/session')).set(headers).send(body).expect(200);
  return {
    ...(response.body as WidgetSessionResponse),
    visitorId: headers['X-Cloop-Visitor'] ?? '',
    headers,
  };
}

/** Sends a visitor message and expects it stored (201). */
export async function sendVisitorMessage(
  http: TestAgent,
  headers: Record<string, string>,
  body: string,
  id: string = randomUUID(),
): Promise<Message> {
  const request: SendMessageRequest = { id, body };
  const response = await http.post(route('/api/v1/widget/messages')).set(headers).send(request).expect(201);
  return response.body as Message;
}

/**
 * Polls the visitor's catch-up route until a message after `afterSeq` matches, e.g. the answer the
 * assistant writes in the background; fails after `timeoutMs`.
 */
export async function waitForVisitorMessage(
  http: TestAgent,
  headers: Record<string, string>,
  afterSeq: number,
  matches: (message: Message) => boolean = () => true,
  timeoutMs = 3000,
): Promise<Message> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await http
      .get(`${route('/api/v1/widget/messages')}?after=${afterSeq}`)
      .set(headers)
      .expect(200);
    const found = (response.body as WidgetMessagesResponse).items.find(matches);
    if (found) return found;
    if (Date.now() > deadline)
      throw new Error(`no matching message after seq ${afterSeq} in ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Sends a visitor message and waits for the assistant's answer to it. */
export async function sendAndAwaitAnswer(
  http: TestAgent,
  headers: Record<string, string>,
  body: string,
): Promise<{ question: Message; answer: Message }> {
  const question = await sendVisitorMessage(http, headers, body);
  const answer = await waitForVisitorMessage(
    http,
    headers,
    question.seq,
    (message) => message.author === 'assistant',
  );
  return { question, answer };
}

/** Every conversation of a site as the inbox lists it (all pages), newest activity first. */
export async function listAllConversations(
  http: TestAgent,
  user: Pick<SignedUpUser, 'auth'>,
  siteId: string,
  filters: Record<string, string> = {},
): Promise<Conversation[]> {
  const items: Conversation[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ ...filters, limit: '100', ...(cursor ? { cursor } : {}) });
    const response = await http
      .get(`${route('/api/v1/sites/{siteId}/conversations', { siteId })}?${query.toString()}`)
      .set(user.auth)
      .expect(200);
    const page = response.body as Page<Conversation>;
    items.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return items;
}

/** One conversation with its messages, as the inbox shows it. */
export async function getTranscript(
  http: TestAgent,
  user: Pick<SignedUpUser, 'auth'>,
  siteId: string,
  conversationId: string,
): Promise<Transcript> {
  const response = await http
    .get(route('/api/v1/sites/{siteId}/conversations/{conversationId}', { siteId, conversationId }))
    .set(user.auth)
    .expect(200);
  return response.body as Transcript;
}

/** The app's database, for raw SQL in tests. */
export interface SqlRunner {
  query<T = unknown>(sql: string, params?: unknown[]): Promise<T>;
}

export interface CatalogueColumn {
  table: string;
  column: string;
  /** `information_schema.columns.data_type`, e.g. `text`, `jsonb`, `uuid`, `ARRAY`. */
  dataType: string;
  /** The underlying type, e.g. `_text` for `text[]`. */
  udtName: string;
}

/** Every column of every table of the public schema (TypeORM's own `migrations` table left out). */
export async function catalogueColumns(db: SqlRunner): Promise<CatalogueColumn[]> {
  return db.query<CatalogueColumn[]>(
    `SELECT c.table_name AS "table", c.column_name AS "column", c.data_type AS "dataType", c.udt_name AS "udtName"
       FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
      WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE' AND c.table_name <> 'migrations'
      ORDER BY c.table_name, c.ordinal_position`,
  );
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

/**
 * Where a string occurs (case-insensitively) in any text, varchar, jsonb or text[] column of any
 * table, as `table.column` → matching rows. Columns come from the catalogue, not from a list.
 */
export async function findTextAnywhere(db: SqlRunner, needle: string): Promise<Record<string, number>> {
  const hits: Record<string, number> = {};
  for (const column of await catalogueColumns(db)) {
    const name = quoteIdent(column.column);
    let asText: string | null = null;
    if (['text', 'character varying', 'character'].includes(column.dataType)) asText = name;
    else if (column.dataType === 'jsonb' || column.dataType === 'json') asText = `${name}::text`;
    else if (column.dataType === 'ARRAY' && ['_text', '_varchar'].includes(column.udtName))
      asText = `array_to_string(${name}, ' ')`;
    if (!asText) continue;
    const [row] = await db.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM ${quoteIdent(column.table)} WHERE strpos(lower(${asText}), lower($1)) > 0`,
      [needle],
    );
    if (row && row.count > 0) hits[`${column.table}.${column.column}`] = row.count;
  }
  return hits;
}

/** Where a uuid is stored in any uuid or uuid[] column of any table, as `table.column` → rows. */
export async function findUuidAnywhere(db: SqlRunner, id: string): Promise<Record<string, number>> {
  const hits: Record<string, number> = {};
  for (const column of await catalogueColumns(db)) {
    const name = quoteIdent(column.column);
    let condition: string | null = null;
    if (column.dataType === 'uuid') condition = `${name} = $1::uuid`;
    else if (column.dataType === 'ARRAY' && column.udtName === '_uuid') condition = `$1::uuid = ANY(${name})`;
    if (!condition) continue;
    const [row] = await db.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM ${quoteIdent(column.table)} WHERE ${condition}`,
      [id],
    );
    if (row && row.count > 0) hits[`${column.table}.${column.column}`] = row.count;
  }
  return hits;
}

/** Row count of every table of the public schema. */
export async function countAllRows(db: SqlRunner): Promise<Record<string, number>> {
  const tables = [...new Set((await catalogueColumns(db)).map((column) => column.table))];
  const counts: Record<string, number> = {};
  for (const table of tables) {
    const [row] = await db.query<{ count: number }[]>(
      `SELECT count(*)::int AS count FROM ${quoteIdent(table)}`,
    );
    counts[table] = row?.count ?? 0;
  }
  return counts;
}

/** A new organization API key, created by `creator` (an owner or admin) in their own organization. */
export async function createApiKey(
  http: TestAgent,
  creator: SignedUpUser,
  scopes: ApiKeyScope[],
  overrides: { name?: string; expiresAt?: string | null; organizationId?: string } = {},
): Promise<ApiKeyWithSecret> {
  const body: CreateApiKeyRequest = {
    name: overrides.name ?? 'Integration',
    scopes,
    ...(overrides.expiresAt !== undefined ? { expiresAt: overrides.expiresAt } : {}),
  };
  const response = await http
    .post(
      route('/api/v1/organizations/{orgId}/api-keys', {
        orgId: overrides.organizationId ?? creator.organizationId,
      }),
    )
    .set(creator.auth)
    .send(body)
    .expect(201);
  return response.body as ApiKeyWithSecret;
}

/** The `Authorization` header of an API key. */
export const keyAuth = (key: { secret: string }): { Authorization: string } => ({
  Authorization: `Bearer ${key.secret}`,
});

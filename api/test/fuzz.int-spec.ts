import { randomUUID } from 'node:crypto';

import {
  ERROR_CODES,
  type CreateKnowledgeSourceRequest,
  type InviteMemberResponse,
  type KnowledgeSource,
  type Site,
  type WebhookEndpointWithSecret,
  type AuthResponse,
} from '@cloop/contracts';
import fc from 'fast-check';

import { CrawlRunner } from '../src/knowledge/ingestion/crawl-runner';
import { DEFAULT_RATE_LIMITS, type RateLimitSettings } from '../src/config/rate-limits';
import {
  addMember,
  createSite,
  createVisitorSession,
  sendVisitorMessage,
  PASSWORD,
  signUp,
  type SignedUpUser,
  uniqueEmail,
} from './support/factories';
import { casesFor, type FuzzCase, withRealIds, type World } from './support/fuzz/fuzz-cases';
import { loadOperations, type Operation } from './support/fuzz/openapi-operations';
import { encodeSegment, type RawResponse, sendRaw } from './support/fuzz/raw-http';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

/** Total cases over all operations; nightly runs set FUZZ_RUNS=10000. */
const TOTAL_RUNS = Number(process.env['FUZZ_RUNS'] ?? 0);
const MIN_CASES_PER_OPERATION = 50;
const SEED = Number(process.env['FUZZ_SEED'] ?? Date.now() % 2 ** 31);
/** Generous: a request that takes this long is hanging, not slow. */
const HANG_MS = 30_000;
const ORIGIN = 'https://shop.example';

/** The fuzzer would trip every limit; these tests are about input, not rate limits. */
const UNLIMITED = Object.fromEntries(
  Object.keys(DEFAULT_RATE_LIMITS).map((group) => [group, { limit: 1_000_000, windowMs: 60_000 }]),
) as unknown as RateLimitSettings;

interface Tally {
  cases: number;
  realIds: number;
  byStatus: Record<number, number>;
  validation: number;
}

function describeCase(operation: Operation, fuzz: FuzzCase, path: string): string {
  const body =
    fuzz.body.kind === 'raw'
      ? `${fuzz.body.label} (${fuzz.body.contentType})`
      : fuzz.body.kind === 'json'
        ? JSON.stringify(fuzz.body.value).slice(0, 300)
        : 'no body';
  return `${operation.method} ${path.slice(0, 300)} ${fuzz.signedIn ? 'signed in' : 'anonymous'}, ${body}`;
}

/** The body of every error: the one shape, with a code clients know. */
function errorShapeProblem(response: RawResponse): string | null {
  if (response.status < 400) return null;
  const body = response.body as Record<string, unknown> | null;
  const ok =
    body !== null &&
    typeof body === 'object' &&
    body['statusCode'] === response.status &&
    typeof body['error'] === 'string' &&
    typeof body['message'] === 'string' &&
    (ERROR_CODES as readonly unknown[]).includes(body['code']);
  return ok ? null : `error body not in the common shape: ${response.text.slice(0, 300)}`;
}

// Schema-driven fuzzing of every operation in api/openapi.json. Each case is malformed or at an
// edge somewhere (types, lengths, unicode with lone surrogates and NUL, deep nesting, huge numbers,
// bad uuids and cursors, wrong content types, invalid JSON, oversized bodies), sent signed in or
// not, with the caller's real ids in most cases so that requests reach validation and handlers.
describe('fuzzing every operation of the OpenAPI document', () => {
  let t: TestApp;
  let host: string;
  let member: SignedUpUser;

  beforeAll(async () => {
    // Deliveries off, crawls never started: no fuzzed URL may become outgoing traffic.
    t = await startTestApp({ rateLimits: UNLIMITED, webhookDelivery: null });
    const crawler = t.app.get(CrawlRunner);
    jest.spyOn(crawler, 'enqueue').mockImplementation(() => undefined);
    jest.spyOn(crawler, 'sweep').mockResolvedValue(undefined);
    host = await t.listen();
    member = await signUp(t.http);
  });
  afterAll(() => t.close());

  /** A caller with one of each resource; operations that change things get a world of their own. */
  async function createWorld(): Promise<World> {
    const owner = await signUp(t.http);
    const site: Site = await createSite(t.http, owner, { allowedOrigins: [ORIGIN] });
    await addMember(t.http, owner, member, 'member');
    const visitor = await createVisitorSession(t.http, site);
    const question = await sendVisitorMessage(t.http, visitor.headers, 'Do you deliver to Mars?');
    const source = await t.http
      .post(route('/api/v1/sites/{siteId}/knowledge/sources', { siteId: site.id }))
      .set(owner.auth)
      .send({
        type: 'qa',
        question: 'Open on Sundays?',
        answer: 'No.',
      } satisfies CreateKnowledgeSourceRequest)
      .expect(201);
    const webhook = await t.http
      .post(route('/api/v1/sites/{siteId}/webhooks', { siteId: site.id }))
      .set(owner.auth)
      .send({ url: 'https://hooks.example/cloop', events: ['lead.captured'], enabled: false })
      .expect(201);
    const invitation = await t.http
      .post(route('/api/v1/organizations/{orgId}/members', { orgId: owner.organizationId }))
      .set(owner.auth)
      .send({ email: uniqueEmail('invitee'), role: 'member' })
      .expect(201);
    // A second session: its refresh token may be rotated or revoked without signing the owner out.
    const second = (
      await t.http
        .post(route('/api/v1/auth/login'))
        .send({ email: owner.email, password: PASSWORD })
        .expect(200)
    ).body as AuthResponse;
    return {
      ids: {
        orgId: owner.organizationId,
        organizationId: owner.organizationId,
        siteId: site.id,
        userId: member.userId,
        invitationId:
          (invitation.body as InviteMemberResponse).status === 'invited'
            ? (invitation.body as Extract<InviteMemberResponse, { status: 'invited' }>).invitation.id
            : randomUUID(),
        conversationId: visitor.conversation.id,
        sourceId: (source.body as KnowledgeSource).id,
        webhookId: (webhook.body as WebhookEndpointWithSecret).webhook.id,
        deliveryId: randomUUID(),
        questionId: question.id,
      },
      accessToken: owner.accessToken,
      siteKey: site.publicKey,
      visitorId: visitor.visitorId,
      origin: ORIGIN,
      refreshToken: second.refreshToken,
    };
  }

  async function send(operation: Operation, fuzz: FuzzCase, world: World, coin: boolean) {
    let realIds = false;
    const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => {
      const choice = fuzz.pathParams[name];
      if (!choice || choice.real) {
        realIds = true;
        return world.ids[name] ?? randomUUID();
      }
      return encodeSegment(choice.value);
    });
    const queryValues = { ...fuzz.query };
    for (const name of Object.keys(queryValues)) {
      const real = world.ids[name];
      if (coin && real) {
        queryValues[name] = real;
        realIds = true;
      }
    }
    const query = new URLSearchParams(queryValues).toString();
    const headers: Record<string, string> = {};
    if (fuzz.signedIn && operation.auth === 'console')
      headers['authorization'] = `Bearer ${world.accessToken}`;
    if (fuzz.signedIn && operation.auth === 'widget') {
      headers['x-cloop-site-key'] = world.siteKey;
      headers['origin'] = world.origin;
      if (operation.visitor) headers['x-cloop-visitor'] = world.visitorId;
      realIds = true;
    }
    let body: string | undefined;
    if (fuzz.body.kind === 'json') {
      const value = withRealIds(fuzz.body.value, world, coin);
      if (value !== fuzz.body.value) realIds = true;
      body = JSON.stringify(value);
      headers['content-type'] = 'application/json';
    } else if (fuzz.body.kind === 'raw') {
      body = fuzz.body.text;
      headers['content-type'] = fuzz.body.contentType;
    }
    if (body !== undefined) headers['content-length'] = String(Buffer.byteLength(body));
    const fullPath = query ? `${path}?${query}` : path;
    const response = await sendRaw(
      host,
      { method: operation.method, path: fullPath, headers, body },
      HANG_MS,
    );
    return { response, realIds, label: describeCase(operation, fuzz, fullPath) };
  }

  it(
    'answers every case below 500, in the common error shape, and reaches validation on every operation',
    async () => {
      const operations = loadOperations();
      const perOperation = Math.max(MIN_CASES_PER_OPERATION, Math.ceil(TOTAL_RUNS / operations.length));
      const tallies = new Map<string, Tally>();
      const findings: string[] = [];
      const shared = await createWorld();

      for (const [index, operation] of operations.entries()) {
        // Reads share one world; anything that may change or delete gets a fresh one.
        const world = operation.method === 'GET' ? shared : await createWorld();
        const cases = fc.sample(fc.tuple(casesFor(operation), fc.boolean()), {
          numRuns: perOperation,
          seed: SEED + index,
        });
        const tally: Tally = { cases: 0, realIds: 0, byStatus: {}, validation: 0 };
        tallies.set(operation.id, tally);
        for (const [fuzz, coin] of cases) {
          let outcome: Awaited<ReturnType<typeof send>>;
          try {
            outcome = await send(operation, fuzz, world, coin);
          } catch (error) {
            findings.push(`${describeCase(operation, fuzz, operation.path)}: ${(error as Error).message}`);
            continue;
          }
          const { response, realIds, label } = outcome;
          tally.cases += 1;
          if (realIds) tally.realIds += 1;
          tally.byStatus[response.status] = (tally.byStatus[response.status] ?? 0) + 1;
          if (response.status === 400) tally.validation += 1;
          if (response.status >= 500)
            findings.push(`${label}: ${response.status} ${response.text.slice(0, 300)}`);
          const shape = errorShapeProblem(response);
          if (shape) findings.push(`${label}: ${shape}`);
        }
      }

      const rows = [...tallies].map(([id, tally]) => {
        const statuses = Object.entries(tally.byStatus)
          .map(([status, count]) => `${status}×${count}`)
          .join(' ');
        return `${id.padEnd(86)} ${String(tally.cases).padStart(4)} cases, ${String(tally.validation).padStart(3)} validation errors, ${String(tally.realIds).padStart(3)} with real ids | ${statuses}`;
      });
      const total = [...tallies.values()].reduce(
        (sum, tally) => ({ cases: sum.cases + tally.cases, validation: sum.validation + tally.validation }),
        { cases: 0, validation: 0 },
      );
      console.log(
        `fuzz (seed ${SEED}): ${total.cases} cases over ${tallies.size} operations; ` +
          `${total.validation} validation errors (${((100 * total.validation) / total.cases).toFixed(1)} %)\n${rows.join('\n')}`,
      );

      expect(findings).toEqual([]);
      const neverValidated = [...tallies].filter(([, tally]) => tally.validation === 0).map(([id]) => id);
      expect(neverValidated).toEqual([]);
      const fewRealIds = [...tallies]
        .filter(([, tally]) => tally.realIds * 2 < tally.cases)
        .map(([id, tally]) => `${id}: ${tally.realIds} of ${tally.cases}`);
      // Operations without ids (sign-up, health) cannot carry real ones; all others must, half the time.
      expect(fewRealIds.filter((line) => /\{|widget/.test(line))).toEqual([]);
      // A budget for the whole run on a loaded machine, not a latency assertion.
    },
    Math.max(600_000, TOTAL_RUNS * 150),
  );
});

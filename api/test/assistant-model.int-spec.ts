import type { Site } from '@cloop/contracts';
import { DataSource } from 'typeorm';

import {
  createSite,
  createVisitorSession,
  sendAndAwaitAnswer,
  sendVisitorMessage,
  type SignedUpUser,
  signUp,
} from './support/factories';
import { type FakeModel, startFakeModel } from './support/fake-model';
import { ofType, RealtimeClient } from './support/realtime-client';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

const ORIGIN = 'https://pay.example';
const ANSWER = ['You can pay with ', 'Visa, MobilePay ', 'and PayPal [1].'];

describe('assistant with an OpenAI-compatible model', () => {
  let model: FakeModel;
  let t: TestApp;
  let owner: SignedUpUser;

  async function siteWithPayments(): Promise<Site> {
    const site = await createSite(t.http, owner, { allowedOrigins: [ORIGIN], leadCapture: true });
    await t.http
      .post(route('/api/v1/sites/{siteId}/knowledge/sources', { siteId: site.id }))
      .set(owner.auth)
      .send({
        type: 'qa',
        question: 'Which payment methods do you accept?',
        answer: 'We accept Visa, Mastercard, MobilePay and PayPal.',
      })
      .expect(201);
    return site;
  }

  beforeAll(async () => {
    model = await startFakeModel({ kind: 'stream', chunks: ANSWER, totalTokens: 120 });
    t = await startTestApp({
      env: {
        LLM_BASE_URL: model.baseUrl,
        LLM_MODEL: 'fake-small',
        LLM_API_KEY: 'sk-test',
        LLM_MONTHLY_TOKEN_BUDGET: '300',
        LLM_TIMEOUT_MS: '700',
      },
    });
    owner = await signUp(t.http);
  });
  afterAll(async () => {
    await t.close();
    await model.close();
  });
  beforeEach(() => {
    model.mode = { kind: 'stream', chunks: ANSWER, totalTokens: 120 };
    model.requests.length = 0;
  });

  it('streams the model’s words to the widget as deltas and stores the answer with the passages it cited', async () => {
    const site = await siteWithPayments();
    const visitor = await createVisitorSession(t.http, site);
    const socket = await RealtimeClient.connect(await t.listen(), ORIGIN);
    try {
      socket.send({ type: 'auth', siteKey: site.publicKey, visitorId: visitor.visitorId });
      await socket.next(ofType('ready'));
      const { answer } = await sendAndAwaitAnswer(t.http, visitor.headers, 'What payment methods can I use?');
      await socket.next((frame) => frame.type === 'message.created' && frame.message.id === answer.id);
      const deltas = socket.frames
        .filter((frame) => frame.type === 'message.delta')
        .map((frame) => frame.delta);
      expect(deltas).toEqual(ANSWER);
      expect(answer.body).toBe(ANSWER.join(''));
      expect(answer.citations).toEqual([{ title: 'Which payment methods do you accept?', url: null }]);
      expect(answer.confidence).toBeGreaterThan(0);
      const request = JSON.parse(model.requests[0] ?? '{}') as {
        model: string;
        stream: boolean;
        messages: { role: string; content: string }[];
      };
      expect(request).toMatchObject({ model: 'fake-small', stream: true });
      expect(request.messages[0]?.content).toContain('We accept Visa, Mastercard, MobilePay and PayPal.');
      expect(request.messages.at(-1)).toEqual({ role: 'user', content: 'What payment methods can I use?' });
    } finally {
      socket.close();
    }
  });

  it('never sends the visitor’s email or ids to the model', async () => {
    const site = await siteWithPayments();
    const visitor = await createVisitorSession(t.http, site);
    await t.http
      .put(route('/api/v1/widget/contact'))
      .set(visitor.headers)
      .send({ email: 'ada.lovelace@example.com' })
      .expect(200);
    await sendAndAwaitAnswer(
      t.http,
      visitor.headers,
      'My email is grace.hopper@example.org, can I pay by invoice?',
    );
    const [record] = await t.app
      .get(DataSource)
      .query<{ id: string }[]>(`SELECT id FROM visitors WHERE visitor_uuid = $1`, [visitor.visitorId]);
    expect(model.requests.length).toBeGreaterThan(0);
    for (const body of model.requests) {
      expect(body).not.toContain('ada.lovelace@example.com');
      expect(body).not.toContain('grace.hopper@example.org');
      expect(body).not.toContain(visitor.visitorId);
      expect(body).not.toContain(record?.id ?? 'missing');
      expect(body).not.toContain(visitor.conversation.id);
    }
    expect(model.requests.join('')).toContain('[email]');
  });

  it('falls back to retrieval when the provider fails', async () => {
    const site = await siteWithPayments();
    model.mode = { kind: 'error', status: 503 };
    const visitor = await createVisitorSession(t.http, site);
    const { answer } = await sendAndAwaitAnswer(
      t.http,
      visitor.headers,
      'Which payment methods do you accept?',
    );
    expect(model.requests).toHaveLength(1);
    expect(answer.body).toContain('We accept Visa, Mastercard, MobilePay and PayPal.');
    expect(answer.citations).toEqual([{ title: 'Which payment methods do you accept?', url: null }]);
  });

  it('falls back to retrieval when the provider does not answer in time', async () => {
    const site = await siteWithPayments();
    model.mode = { kind: 'hang' };
    const visitor = await createVisitorSession(t.http, site);
    const { answer } = await sendAndAwaitAnswer(
      t.http,
      visitor.headers,
      'Which payment methods do you accept?',
    );
    expect(answer.body).toContain('We accept Visa, Mastercard, MobilePay and PayPal.');
  });

  it('stops calling the model for a site that spent its monthly budget; other sites go on', async () => {
    const site = await siteWithPayments();
    const visitor = await createVisitorSession(t.http, site);
    for (let i = 0; i < 3; i += 1) await sendAndAwaitAnswer(t.http, visitor.headers, `How can I pay? (${i})`);
    expect(model.requests).toHaveLength(3);

    const { answer } = await sendAndAwaitAnswer(
      t.http,
      visitor.headers,
      'Which payment methods do you accept?',
    );
    expect(model.requests).toHaveLength(3);
    expect(answer.body).toContain('We accept Visa, Mastercard, MobilePay and PayPal.');

    const other = await siteWithPayments();
    const otherVisitor = await createVisitorSession(t.http, other);
    await sendVisitorMessage(t.http, otherVisitor.headers, 'How can I pay?');
    const { answer: fromModel } = await sendAndAwaitAnswer(t.http, otherVisitor.headers, 'And by card?');
    expect(fromModel.body).toBe(ANSWER.join(''));
  });
});

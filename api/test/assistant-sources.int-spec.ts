import type { Site } from '@cloop/contracts';

import {
  createSite,
  createVisitorSession,
  sendAndAwaitAnswer,
  type SignedUpUser,
  signUp,
} from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

/**
 * Which documents the retrieval-only answer cites: a second one when it answers nearly as well as
 * the best, none when it answers clearly less.
 */
describe('assistant: a second source', () => {
  let t: TestApp;
  let owner: SignedUpUser;
  let site: Site;

  const upload = async (filename: string, markdown: string) =>
    await t.http
      .post(route('/api/v1/sites/{siteId}/knowledge/uploads', { siteId: site.id }))
      .set(owner.auth)
      .attach('file', Buffer.from(markdown), { filename, contentType: 'text/markdown' })
      .expect(201);

  beforeAll(async () => {
    t = await startTestApp();
    owner = await signUp(t.http);
    site = await createSite(t.http, owner, { allowedOrigins: ['https://sources.example'] });
    // "seconds" is in nearly every document, so it weighs little; "widget" and "timeout" are in two.
    await upload('alpha.md', '# Alpha\n\nThe widget timeout is 30 seconds by default.\n');
    await upload('beta.md', '# Beta\n\nThe widget timeout can be changed on the settings page.\n');
    const topics = ['Mugs', 'Plates', 'Bowls', 'Cups', 'Jugs', 'Trays', 'Spoons', 'Forks'];
    for (const topic of topics)
      await upload(`${topic.toLowerCase()}.md`, `# ${topic}\n\n${topic} are packed in a few seconds.\n`);
  });
  afterAll(() => t.close());

  it('cites another document that covers nearly all of the question (all but its commonest word)', async () => {
    const visitor = await createVisitorSession(t.http, site);
    const { answer } = await sendAndAwaitAnswer(t.http, visitor.headers, 'widget timeout seconds');
    expect(answer.citations.map((citation) => citation.title)).toEqual(['Alpha', 'Beta']);
    expect(answer.body).toContain('The widget timeout is 30 seconds by default.');
    expect(answer.body).toContain('The widget timeout can be changed on the settings page.');
  });

  it('cites one document when no other covers most of the question', async () => {
    const visitor = await createVisitorSession(t.http, site);
    const { answer } = await sendAndAwaitAnswer(t.http, visitor.headers, 'mugs packed seconds');
    expect(answer.citations.map((citation) => citation.title)).toEqual(['Mugs']);
  });
});

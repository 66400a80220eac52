import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import type { ErrorResponse } from '@cloop/contracts';
import type { Response } from 'supertest';

import { OPENAPI_DOCUMENT_FILE, OPENAPI_REGENERATE_COMMAND } from '../src/openapi-document';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

interface Operation {
  requestBody?: { content: Record<string, { example?: unknown }> };
  responses: Record<string, { content?: Record<string, { examples?: Record<string, { value: unknown }> }> }>;
}
interface Document {
  servers: { url: string }[];
  paths: Record<string, Record<string, Operation>>;
}

const PUBLIC_URL = 'https://chat.example.org';

describe('the OpenAPI document the server serves', () => {
  let t: TestApp;
  let served: Document;

  beforeAll(async () => {
    t = await startTestApp({ env: { PUBLIC_URL } });
    served = (await t.http.get('/api/openapi.json').expect(200)).body as Document;
  });

  afterAll(async () => {
    await t.close();
  });

  function operation(method: string, path: string): Operation {
    const found = served.paths[path]?.[method];
    if (!found) throw new Error(`${method.toUpperCase()} ${path} is not documented`);
    return found;
  }

  function requestExample(method: string, path: string): object {
    return operation(method, path).requestBody?.content['application/json']?.example as object;
  }

  /** The answer is one the document lists for the route: its status, and the code among its examples. */
  function expectDocumentedError(method: string, path: string, response: Response): void {
    const { code } = response.body as ErrorResponse;
    const documented = operation(method, path).responses[String(response.status)];
    expect({ status: response.status, code, documented: documented !== undefined }).toEqual({
      status: response.status,
      code,
      documented: true,
    });
    const examples = documented?.content?.['application/json']?.examples ?? {};
    expect(Object.keys(examples)).toContain(code);
  }

  it(`is the committed ${OPENAPI_DOCUMENT_FILE} apart from its server, which is PUBLIC_URL`, async () => {
    const committed = JSON.parse(
      await readFile(join(__dirname, '../..', OPENAPI_DOCUMENT_FILE), 'utf8'),
    ) as Document;
    expect(served.servers).toEqual([{ url: PUBLIC_URL }]);
    const withoutServers = (document: Document) => ({ ...document, servers: [] });
    // On a difference: run the command below and commit the file.
    expect({ regenerate: OPENAPI_REGENERATE_COMMAND, document: withoutServers(served) }).toEqual({
      regenerate: OPENAPI_REGENERATE_COMMAND,
      document: withoutServers(committed),
    });
  });

  it('documents request examples the real API accepts', async () => {
    const signup = await t.http
      .post(route('/api/v1/auth/signup'))
      .send(requestExample('post', '/api/v1/auth/signup'))
      .expect(201);
    expect(signup.body).toMatchObject({ user: { email: 'ada@example.com' } });
    await t.http
      .post(route('/api/v1/auth/login'))
      .send(requestExample('post', '/api/v1/auth/login'))
      .expect(200);
  });

  it('documents the errors the real API answers, with their codes', async () => {
    const again = await t.http
      .post(route('/api/v1/auth/signup'))
      .send(requestExample('post', '/api/v1/auth/signup'));
    expect(again.status).toBe(409);
    expectDocumentedError('post', '/api/v1/auth/signup', again);

    const refresh = await t.http
      .post(route('/api/v1/auth/refresh'))
      .send(requestExample('post', '/api/v1/auth/refresh'));
    expect(refresh.status).toBe(401);
    expectDocumentedError('post', '/api/v1/auth/refresh', refresh);

    const invalid = await t.http.post(route('/api/v1/auth/login')).send({ email: 'not an email' });
    expectDocumentedError('post', '/api/v1/auth/login', invalid);

    const anonymous = await t.http.get(route('/api/v1/sites'));
    expectDocumentedError('get', '/api/v1/sites', anonymous);

    const noSiteKey = await t.http.get(route('/api/v1/widget/config'));
    expectDocumentedError('get', '/api/v1/widget/config', noSiteKey);
  });
});

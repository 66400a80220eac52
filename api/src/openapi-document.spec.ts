import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

import { ERROR_CODES, type ErrorCode } from '@cloop/contracts';
import type {
  MediaTypeObject,
  OpenAPIObject,
  ParameterObject,
  ReferenceObject,
  RequestBodyObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger';

import { STATUS_BY_CODE } from './common/error-status';
import { buildExample } from './openapi/examples';
import {
  generateOpenApiDocument,
  OPENAPI_DOCUMENT_FILE,
  OPENAPI_REGENERATE_COMMAND,
  serializeOpenApiDocument,
} from './openapi-document';
import { operationsOf } from './openapi/openapi';

const WORKSPACE_ROOT = join(__dirname, '../..');
const ERROR_SCHEMA = '#/components/schemas/ErrorResponseDto';

/** What every operation must document; the list names each gap as `METHOD /path: problem`. */
function problemsOf(document: OpenAPIObject): string[] {
  const problems: string[] = [];
  const schemas = document.components?.schemas ?? {};
  const schemes = Object.keys(document.components?.securitySchemes ?? {});
  const jsonExampleProblem = (where: string, media: MediaTypeObject | undefined) => {
    if (!media?.schema) return `${where} has no JSON schema`;
    if (media.example !== undefined || media.examples !== undefined) return null;
    const { missing } = buildExample(media.schema, schemas);
    return `${where} has no example (add \`@ApiProperty({ example })\` to ${missing.join(', ')})`;
  };

  for (const [path, item] of Object.entries(document.paths)) {
    for (const method of ['get', 'put', 'post', 'delete', 'patch'] as const) {
      const operation = item[method];
      if (!operation) continue;
      const name = `${method.toUpperCase()} ${path}`;
      const report = (problem: string | null) => problem && problems.push(`${name}: ${problem}`);
      if (!operation.summary?.trim()) report('no summary (`@Endpoint({ summary })`)');
      if (!operation.description?.trim()) report('no description (`@Endpoint({ description })`)');

      const responses = Object.entries(operation.responses) as [string, ResponseObject][];
      const successes = responses.filter(([status]) => /^2\d\d$/.test(status));
      if (successes.length === 0) report('no 2xx response');
      for (const [status, response] of successes) {
        if (status === '204') continue;
        // NDJSON (the site-wide export) is JSON line by line: documented the same way.
        const media = response.content?.['application/json'] ?? response.content?.['application/x-ndjson'];
        report(jsonExampleProblem(`response ${status}`, media));
      }

      const errors = responses.filter(([status]) => /^[45]\d\d$/.test(status));
      if (!errors.some(([status]) => status.startsWith('4'))) report('no 4xx response');
      for (const [status, response] of errors) {
        const media = response.content?.['application/json'];
        if ((media?.schema as ReferenceObject | undefined)?.$ref !== ERROR_SCHEMA) {
          // The health check answers 503 with its own body, documented with its own schema.
          if (!(status === '503' && media?.schema)) report(`response ${status} is not an ErrorResponseDto`);
          continue;
        }
        const examples = Object.entries(media?.examples ?? {}) as [string, { value?: { code?: string } }][];
        if (examples.length === 0) report(`response ${status} has no example body (use \`@ApiErrors\`)`);
        for (const [key, example] of examples) {
          const code = example.value?.code as ErrorCode | undefined;
          if (!code || !ERROR_CODES.includes(code) || STATUS_BY_CODE[code] !== Number(status)) {
            report(`response ${status}: example ${key} does not carry a code answered with ${status}`);
          }
        }
      }

      for (const parameter of (operation.parameters ?? []) as ParameterObject[]) {
        const schema = parameter.schema as SchemaObject | undefined;
        if (
          parameter.example === undefined &&
          schema?.example === undefined &&
          schema?.default === undefined
        ) {
          report(
            `parameter ${parameter.name} has no example (\`@UuidParam\`, \`@ApiProperty({ example })\`)`,
          );
        }
      }

      const body = operation.requestBody as RequestBodyObject | undefined;
      if (body?.content['application/json']) {
        report(jsonExampleProblem('request body', body.content['application/json']));
      }

      const security = operation.security;
      if (security === undefined) {
        report('no security requirement (use an access policy decorator: `@Public()`, `@Authenticated()` …)');
      } else if (security.length > 0) {
        const named = security.flatMap((requirement) => Object.keys(requirement));
        const unknown = named.filter((scheme) => !schemes.includes(scheme));
        if (unknown.length > 0) report(`unknown security schemes ${unknown.join(', ')}`);
        const expected = path.startsWith('/api/v1/widget/') ? 'siteKey' : 'console';
        if (!named.includes(expected)) report(`security should name \`${expected}\``);
        if (!('401' in operation.responses)) report('secured, but no 401 response');
      }
    }
  }
  return problems;
}

/** `null` when the committed document is the generated one, else how to fix it and the first difference. */
function staleness(committed: string, generated: string): string | null {
  if (committed === generated) return null;
  const committedLines = committed.split('\n');
  const generatedLines = generated.split('\n');
  const line = generatedLines.findIndex((text, index) => text !== committedLines[index]);
  return (
    `${OPENAPI_DOCUMENT_FILE} is out of date: run \`${OPENAPI_REGENERATE_COMMAND}\` (\`npm run build\` ` +
    `does too) and commit the file.\nFirst difference at line ${line + 1}:\n` +
    `  committed: ${committedLines[line] ?? '(end of file)'}\n  generated: ${generatedLines[line]}`
  );
}

describe('the OpenAPI document', () => {
  let document: OpenAPIObject;

  beforeAll(async () => {
    document = await generateOpenApiDocument();
  });

  it(`is committed as ${OPENAPI_DOCUMENT_FILE}, exactly as the code generates it`, async () => {
    const committed = await readFile(join(WORKSPACE_ROOT, OPENAPI_DOCUMENT_FILE), 'utf8').catch(() => '');
    // Compared through a message rather than the two texts, so a failure says what to do and where.
    expect(staleness(committed, serializeOpenApiDocument(document))).toBeNull();
  });

  it('does not depend on the environment', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, {
      PUBLIC_URL: 'https://chat.example.org',
      PORT: '8080',
      ALLOW_SIGNUP: 'false',
    });
    try {
      expect(serializeOpenApiDocument(await generateOpenApiDocument())).toBe(
        serializeOpenApiDocument(document),
      );
    } finally {
      process.env = saved;
    }
  });

  it('gives every operation a summary, a description, a 2xx and 4xx responses with examples, and its security', () => {
    expect(Object.keys(document.paths).length).toBeGreaterThan(30);
    expect(problemsOf(document)).toEqual([]);
  });

  it('states public operations plainly and asks widget operations for both headers', () => {
    const login = document.paths['/api/v1/auth/login']?.post;
    expect(login?.security).toEqual([]);
    expect(document.paths['/api/v1/widget/messages']?.post?.security).toEqual([{ siteKey: [], visitor: [] }]);
    expect(document.paths['/api/v1/widget/config']?.get?.security).toEqual([{ siteKey: [] }]);
    expect(document.paths['/api/v1/sites']?.get?.security).toEqual([
      { console: [] },
      { apiKey: ['sites:read'] },
    ]);
  });

  it('shows the real error body for each code a route answers with', () => {
    const signup = document.paths['/api/v1/auth/signup']?.post?.responses['409'] as ResponseObject;
    expect(signup.content?.['application/json']?.examples).toEqual({
      EMAIL_TAKEN: expect.objectContaining({
        value: {
          statusCode: 409,
          error: 'Conflict',
          message: 'An account with this email already exists; sign in instead',
          code: 'EMAIL_TAKEN',
        },
      }),
    });
  });

  it('catches an operation that documents too little', () => {
    const incomplete: OpenAPIObject = {
      ...document,
      paths: {
        '/api/v1/things': {
          post: {
            parameters: [{ name: 'thingId', in: 'query', schema: { type: 'string' } }],
            responses: {
              '201': { description: '', content: { 'application/json': { schema: { type: 'object' } } } },
            },
            requestBody: {
              content: { 'application/json': { schema: { $ref: '#/components/schemas/NoExamplesDto' } } },
            },
          },
        },
      },
      components: {
        ...document.components,
        schemas: {
          ...document.components?.schemas,
          NoExamplesDto: { type: 'object', properties: { name: { type: 'string' } } },
        },
      },
    };
    expect(problemsOf(incomplete)).toEqual([
      'POST /api/v1/things: no summary (`@Endpoint({ summary })`)',
      'POST /api/v1/things: no description (`@Endpoint({ description })`)',
      'POST /api/v1/things: response 201 has no example (add `@ApiProperty({ example })` to body)',
      'POST /api/v1/things: no 4xx response',
      'POST /api/v1/things: parameter thingId has no example (`@UuidParam`, `@ApiProperty({ example })`)',
      'POST /api/v1/things: request body has no example (add `@ApiProperty({ example })` to NoExamplesDto.name)',
      'POST /api/v1/things: no security requirement (use an access policy decorator: `@Public()`, `@Authenticated()` …)',
    ]);
  });

  it('lists operations in a stable order', () => {
    const paths = Object.keys(document.paths);
    expect(paths).toEqual([...paths].sort());
    for (const item of Object.values(document.paths)) {
      for (const operation of operationsOf(item)) {
        const statuses = Object.keys(operation.responses);
        expect(statuses).toEqual([...statuses].sort());
      }
    }
  });
});

import { API_DOCS_PATH, OPENAPI_JSON_PATH } from '@cloop/contracts';
import type { INestApplication } from '@nestjs/common';
import {
  DocumentBuilder,
  SwaggerModule,
  type OpenAPIObject,
  type OperationObject,
  type PathItemObject,
  type RequestBodyObject,
  type ResponseObject,
} from '@nestjs/swagger';

import { buildExample } from './examples';

const DESCRIPTION = [
  'REST API of Cloop, the self-hostable AI chat widget platform.',
  '',
  'Errors always have the body `{ statusCode, error, message, code }`; switch on `code` (each',
  'operation lists the codes it can answer with, with an example body for each). `message` is for',
  'people and may change.',
  '',
  'Lists are keyset-paginated: pass `nextCursor` back as `cursor`.',
  '',
  'Credentials: console routes take `Authorization: Bearer <accessToken>` from sign-up, sign-in or',
  'refresh (security scheme `console`). Integrators use an organization API key instead, sent the',
  'same way (`Authorization: Bearer ck_…`, scheme `apiKey`): operations that accept one list the',
  'scope it needs (`<area>:read` or `<area>:write`; write includes read), and a key acts with its',
  "creator's role in the organization at that moment. Keys are not accepted by the account, member",
  "and API-key routes, nor by the realtime socket. Widget routes take the site's public key in",
  '`X-Cloop-Site-Key` (`siteKey`) and, once a visitor exists, the visitor UUID the widget generated',
  'in `X-Cloop-Visitor` (`visitor`), from a page whose `Origin` the site allows. Operations with an',
  'empty `security` list are public.',
  '',
  'Every route is rate-limited per client IP; a 429 carries `Retry-After` in seconds.',
].join('\n');

export function buildOpenApiDocument(app: INestApplication, serverUrl: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Cloop API')
    .setDescription(DESCRIPTION)
    .setVersion('1')
    .addServer(serverUrl)
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'The `accessToken` of `POST /api/v1/auth/login` (15 minutes; refresh for a new one)',
      },
      'console',
    )
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'ck_…',
        description:
          'An organization API key (`Authorization: Bearer ck_…`), created by an owner or admin. ' +
          "Limited by its scopes (listed per operation) and by its creator's current role",
      },
      'apiKey',
    )
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'X-Cloop-Site-Key',
        description: "The site's `publicKey` (not a secret: it is in the page's embed snippet)",
      },
      'siteKey',
    )
    .addApiKey(
      {
        type: 'apiKey',
        in: 'header',
        name: 'X-Cloop-Visitor',
        description: 'The random UUID the widget generated for this visitor and keeps in `localStorage`',
      },
      'visitor',
    )
    .build();
  return canonical(SwaggerModule.createDocument(app, config));
}

/**
 * The document in a stable, tidy form: paths, schemas and responses sorted, public operations with
 * an explicit empty `security`, merged error descriptions without repeats, and an example on every
 * JSON body that lacks one, assembled from its schema's property examples.
 */
function canonical(document: OpenAPIObject): OpenAPIObject {
  const schemas = document.components?.schemas ?? {};
  for (const item of Object.values(document.paths)) {
    for (const operation of operationsOf(item)) tidyOperation(operation, schemas);
  }
  return {
    ...document,
    paths: sortKeys(document.paths),
    components: {
      ...document.components,
      schemas: sortKeys(schemas),
    },
  };
}

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'] as const;

export function operationsOf(item: PathItemObject): OperationObject[] {
  return METHODS.flatMap((method) => (item[method] ? [item[method]] : []));
}

function tidyOperation(operation: OperationObject, schemas: Parameters<typeof buildExample>[1]): void {
  // `ApiSecurity({})` on public routes: one empty requirement reads as "no credentials"; `[]` says it plainly.
  if (operation.security?.every((requirement) => Object.keys(requirement).length === 0)) {
    operation.security = [];
  }
  const responses = operation.responses as Record<string, ResponseObject>;
  for (const response of Object.values(responses)) {
    response.description = [...new Set(response.description.split('\n\n'))].join('\n\n');
    addExamples(response.content, schemas);
  }
  operation.responses = sortKeys(responses);
  const body = operation.requestBody as RequestBodyObject | undefined;
  addExamples(body?.content, schemas);
}

function addExamples(content: ResponseObject['content'], schemas: Parameters<typeof buildExample>[1]): void {
  const json = content?.['application/json'];
  if (!json?.schema || json.example !== undefined || json.examples !== undefined) return;
  const { value, missing } = buildExample(json.schema, schemas);
  if (missing.length === 0) json.example = value;
}

function sortKeys<T>(record: Record<string, T>): Record<string, T> {
  return Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** Serves the document at `/api/openapi.json` and the interactive docs at `/api/docs`. */
export function serveOpenApi(app: INestApplication, document: OpenAPIObject): void {
  SwaggerModule.setup(API_DOCS_PATH.slice(1), app, document, {
    jsonDocumentUrl: OPENAPI_JSON_PATH.slice(1),
    raw: ['json'],
    customSiteTitle: 'Cloop API',
    // The default validator badge loads an image from validator.swagger.io: no third-party requests.
    swaggerOptions: { validatorUrl: null },
  });
}

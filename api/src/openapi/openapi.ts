import { API_DOCS_PATH, OPENAPI_JSON_PATH } from '@cloop/contracts';
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';

export function buildOpenApiDocument(app: INestApplication, serverUrl: string): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Cloop API')
    .setDescription(
      [
        'REST API of Cloop, the self-hostable AI chat widget platform.',
        '',
        'Errors always have the body `{ statusCode, error, message, code }`; switch on `code`.',
        'Lists are keyset-paginated: pass `nextCursor` back as `cursor`.',
        'Console routes take `Authorization: Bearer <accessToken>` from sign-in or refresh.',
      ].join('\n'),
    )
    .setVersion('1')
    .addServer(serverUrl)
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'JWT' }, 'console')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Cloop-Site-Key' }, 'siteKey')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'X-Cloop-Visitor' }, 'visitor')
    .build();
  return SwaggerModule.createDocument(app, config);
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

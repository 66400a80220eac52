import { writeFile } from 'node:fs/promises';

import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { OpenAPIObject } from '@nestjs/swagger';

import { AppModule } from './app.module';
import { loadConfig } from './config/app-config';
import { unconnectedDatabase } from './database/unconnected-database';
import { ENTITIES } from './entities';
import { runtimeSettings } from './runtime-settings';
import { buildOpenApiDocument } from './openapi/openapi';

/** The server named by the committed document: a fixed placeholder, whatever the environment says. */
export const OPENAPI_SERVER_URL = 'http://localhost:3000';
const SERVERS = [
  {
    url: '{publicUrl}',
    description: 'Your Cloop server',
    variables: {
      publicUrl: {
        default: OPENAPI_SERVER_URL,
        description:
          'The `PUBLIC_URL` of your Cloop server (a running server serves its own at `/api/openapi.json`)',
      },
    },
  },
];

/** Where the committed document lives, relative to the workspace root. */
export const OPENAPI_DOCUMENT_FILE = 'api/openapi.json';

/** What to run when the committed document is out of date. */
export const OPENAPI_REGENERATE_COMMAND = 'npx nx run api:openapi';

/**
 * The OpenAPI document of the real application, built from its modules and decorators without a
 * database or a listening server: the same document `/api/openapi.json` serves, except that its
 * server is a `{publicUrl}` variable defaulting to {@link OPENAPI_SERVER_URL}.
 */
export async function generateOpenApiDocument(): Promise<OpenAPIObject> {
  // The defaults, never this process's environment: the document must not vary by machine.
  const config = {
    ...loadConfig({}),
    jwtSecret: 'openapi-generation-only-never-signs-a-token',
    auditKey: 'openapi-generation-only-never-keys-an-audit-row',
    runtime: runtimeSettings(),
  };
  const app = await NestFactory.create(
    AppModule.forRoot({
      config,
      database: unconnectedDatabase(ENTITIES),
    }),
    new FastifyAdapter(),
    { logger: false, abortOnError: false },
  );
  try {
    return { ...buildOpenApiDocument(app, OPENAPI_SERVER_URL), servers: SERVERS };
  } finally {
    await app.close();
  }
}

/** The committed file's exact text: two-space JSON with a final newline. */
export function serializeOpenApiDocument(document: OpenAPIObject): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

/** Writes the document to `file`, or to standard output when no file is given. */
export async function exportOpenApiDocument(file: string | null): Promise<void> {
  const text = serializeOpenApiDocument(await generateOpenApiDocument());
  if (file !== null) return writeFile(file, text);
  // The CLI exits right after: wait until a pipe has taken the whole document.
  await new Promise<void>((resolve, reject) =>
    process.stdout.write(text, (error) => (error ? reject(error) : resolve())),
  );
}

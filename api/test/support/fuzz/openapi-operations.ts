import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The parts of a JSON Schema (as `@nestjs/swagger` writes it) the fuzzer reads. */
export interface Schema {
  $ref?: string;
  type?: string;
  format?: string;
  enum?: unknown[];
  example?: unknown;
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  nullable?: boolean;
  allOf?: Schema[];
  oneOf?: Schema[];
}

export interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header';
  required?: boolean;
  schema?: Schema;
}

export interface Operation {
  method: string;
  /** With OpenAPI placeholders: `/api/v1/sites/{siteId}`. */
  path: string;
  /** `METHOD /path` */
  id: string;
  parameters: Parameter[];
  /** The JSON body's schema, `$ref`s resolved; `null` without a JSON body. */
  body: Schema | null;
  multipart: boolean;
  /** `console` (bearer), `widget` (site key and maybe visitor), or `public`. */
  auth: 'console' | 'widget' | 'public';
  visitor: boolean;
}

interface Document {
  paths: Record<
    string,
    Record<
      string,
      {
        parameters?: Parameter[];
        security?: Record<string, string[]>[];
        requestBody?: { content?: Record<string, { schema?: Schema }> };
      }
    >
  >;
  components: { schemas: Record<string, Schema> };
}

/** Every operation of the committed `api/openapi.json` (CI checks it matches the code). */
export function loadOperations(): Operation[] {
  const document = JSON.parse(readFileSync(join(__dirname, '../../../openapi.json'), 'utf8')) as Document;
  const resolve = (schema: Schema | undefined, depth = 0): Schema | null => {
    if (!schema) return null;
    if (depth > 8) return { type: 'object' };
    if (schema.$ref)
      return resolve(document.components.schemas[schema.$ref.split('/').pop() ?? ''], depth + 1);
    const only = schema.allOf?.[0] ?? schema.oneOf?.[0];
    if (only) return resolve(only, depth + 1);
    return {
      ...schema,
      ...(schema.items ? { items: resolve(schema.items, depth + 1) ?? {} } : {}),
      ...(schema.properties
        ? {
            properties: Object.fromEntries(
              Object.entries(schema.properties).map(([name, property]) => [
                name,
                resolve(property, depth + 1) ?? {},
              ]),
            ),
          }
        : {}),
    };
  };
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.entries(operations).map(([method, operation]) => {
      const schemes = new Set((operation.security ?? []).flatMap((entry) => Object.keys(entry)));
      const content = operation.requestBody?.content ?? {};
      return {
        method: method.toUpperCase(),
        path,
        id: `${method.toUpperCase()} ${path}`,
        parameters: operation.parameters ?? [],
        body: resolve(content['application/json']?.schema),
        multipart: 'multipart/form-data' in content,
        auth: schemes.has('console') ? 'console' : schemes.has('siteKey') ? 'widget' : 'public',
        visitor: schemes.has('visitor'),
      };
    }),
  );
}

import Ajv, { type ErrorObject } from 'ajv';
import addFormats from 'ajv-formats';

type Schema = Record<string, unknown>;

export interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, { schema: Schema }> }> }>
  >;
  components: { schemas: Record<string, Schema> };
}

/**
 * The document's schemas with every object closed: a property the schema does not declare is an
 * error unless `additionalProperties` allows it, so the document must say all that a response holds.
 */
function closed(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(closed);
  if (schema === null || typeof schema !== 'object') return schema;
  const copy = Object.fromEntries(Object.entries(schema).map(([key, value]) => [key, closed(value)]));
  if ('properties' in copy && !('additionalProperties' in copy)) copy['additionalProperties'] = false;
  return copy;
}

/**
 * Checks values against the schemas of an OpenAPI 3.0 document with Ajv (its `nullable` keyword
 * included; `example` and other annotations ignored), objects closed as {@link closed} says.
 * Returns Ajv's errors as `path: message` lines, `[]` when the value fits.
 */
export function openApiValidator(
  document: OpenApiDocument,
): (value: unknown, schemaName: string) => string[] {
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ components: closed(document.components) }, 'openapi');
  return (value, schemaName) => {
    const validate = ajv.getSchema(`openapi#/components/schemas/${schemaName}`);
    if (!validate) return [`no schema named ${schemaName}`];
    void validate(value);
    return (validate.errors ?? []).map(describe);
  };
}

function describe(error: ErrorObject): string {
  const extra =
    error.keyword === 'additionalProperties' ? ` (${String(error.params['additionalProperty'])})` : '';
  return `${error.instancePath || '/'}: ${error.message ?? error.keyword}${extra}`;
}

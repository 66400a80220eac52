import type { ReferenceObject, SchemaObject } from '@nestjs/swagger';

type Schema = SchemaObject | ReferenceObject;

export interface BuiltExample {
  value: unknown;
  /** Where an example is missing, e.g. `SiteDto.name`; the value is only usable when this is empty. */
  missing: string[];
}

/**
 * An example value for `schema`, assembled from the examples of its properties (`@ApiProperty({
 * example })`), enums and defaults, the way documentation tools would, but written into the
 * document so every client and tool sees the same one.
 */
export function buildExample(schema: Schema, schemas: Record<string, Schema>): BuiltExample {
  const missing: string[] = [];
  const value = exampleOf(schema, schemas, 'body', missing, new Set());
  return { value, missing };
}

function exampleOf(
  schema: Schema,
  schemas: Record<string, Schema>,
  where: string,
  missing: string[],
  visiting: Set<string>,
): unknown {
  if ('$ref' in schema) {
    const name = schema.$ref.replace('#/components/schemas/', '');
    const target = schemas[name];
    // A schema that contains itself gets no nested example (none of ours does today).
    if (!target || visiting.has(name)) {
      missing.push(`${where} (${name})`);
      return undefined;
    }
    visiting.add(name);
    const value = exampleOf(target, schemas, name, missing, visiting);
    visiting.delete(name);
    return value;
  }
  if (schema.example !== undefined) return schema.example;
  const listed = (schema as { examples?: unknown }).examples;
  if (Array.isArray(listed) && listed.length > 0) return listed[0];
  if (schema.enum && schema.enum.length > 0) return schema.enum[0];
  if (schema.default !== undefined) return schema.default;
  if (schema.allOf) {
    return Object.assign(
      {},
      ...schema.allOf.map((part) => exampleOf(part, schemas, where, missing, visiting) as object),
    );
  }
  const alternatives = schema.oneOf ?? schema.anyOf;
  if (alternatives) {
    const first = alternatives.find((part) => !('type' in part && part.type === 'null'));
    return first ? exampleOf(first, schemas, where, missing, visiting) : null;
  }
  if (schema.type === 'array' && schema.items) {
    return [exampleOf(schema.items, schemas, `${where}[]`, missing, visiting)];
  }
  if (schema.properties) {
    return Object.fromEntries(
      Object.entries(schema.properties).map(([key, property]) => [
        key,
        exampleOf(property, schemas, `${where}.${key}`, missing, visiting),
      ]),
    );
  }
  missing.push(where);
  return undefined;
}

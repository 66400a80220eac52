import fc from 'fast-check';

import type { Operation, Parameter, Schema } from './openapi-operations';

/** The caller's real resources, by the name the API gives their ids. */
export interface World {
  ids: Record<string, string>;
  accessToken: string;
  siteKey: string;
  visitorId: string;
  origin: string;
  refreshToken: string;
}

/** One request, as bytes and headers, before the world's ids are filled in. */
export interface FuzzCase {
  /** Whether the caller sends its real credentials (bearer token, or site key and visitor id). */
  signedIn: boolean;
  /** Per path parameter: the caller's real id, or a hostile string. */
  pathParams: Record<string, { real: true } | { real: false; value: string }>;
  query: Record<string, string>;
  body:
    | { kind: 'none' }
    | { kind: 'json'; value: unknown }
    | { kind: 'raw'; contentType: string; text: string; label: string };
}

const LONE_SURROGATE = '\ud800';
const DEEP = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/** Strings a careless handler trips over. */
const hostileString = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    LONE_SURROGATE,
    `a${LONE_SURROGATE}@example.test`,
    '\udfff\ud800',
    'nul\u0000byte',
    '\u0000',
    "'; DROP TABLE users; --",
    '%00',
    '../../etc/passwd',
    '<script>alert(1)</script>',
    '${jndi:ldap://x}',
    '0',
    '-1',
    'NaN',
    'Infinity',
    'null',
    'true',
    '[]',
    '{}',
    '1e309',
    '9'.repeat(400),
    'ℌ𝔢𝔩𝔩𝔬 🚀',
    '\u202e\u200b',
    'x'.repeat(5_000),
    'a@b',
    'http://127.0.0.1/',
    'https://shop.example/' + 'p/'.repeat(300),
  ),
);

const hugeNumber = fc.constantFrom(
  0,
  -1,
  1.5,
  -0,
  2 ** 31,
  2 ** 53 + 1,
  -(2 ** 63),
  1e21,
  1e308,
  -1e308,
  Number.MIN_VALUE,
);

/** A uuid-shaped string that is not a real id, or something that is not a uuid at all. */
const badId = fc.oneof(
  fc.uuid(),
  fc.constantFrom(
    'not-a-uuid',
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    '123',
    '%00',
    '%ED%A0%80',
    'x'.repeat(300),
    'zzzzzzzz-zzzz-zzzz-zzzz-zzzzzzzzzzzz',
    '00000000-0000-0000-0000-0000000000000',
  ),
  hostileString,
);

/** Cursors the server never issued: random bytes, JSON of the wrong shape, dates out of range. */
const badCursor = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.base64String({ maxLength: 80 }),
  fc
    .oneof(
      fc.constant('[]'),
      fc.constant('{}'),
      fc.constant('null'),
      fc.constant(JSON.stringify(['not a date', 'not a uuid'])),
      fc.constant(JSON.stringify(['-010000-01-01T00:00:00.000Z', '00000000-0000-0000-0000-000000000000'])),
      fc.constant(JSON.stringify(['2024-01-01T00:00:00.000Z', 12])),
      fc.constant(JSON.stringify([1e308, 'x'])),
      fc.constant(JSON.stringify([`${LONE_SURROGATE}`, '\u0000'])),
      fc.json({ maxDepth: 3 }),
    )
    .map((text) => Buffer.from(text).toString('base64url')),
);

function valueFor(schema: Schema | undefined, name: string, depth: number): fc.Arbitrary<unknown> {
  const wrongType = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    hugeNumber,
    hostileString,
    fc.constant([]),
    fc.constant({}),
    fc.constant({ nested: { deeper: [1, 2, 3] } }),
  );
  if (!schema || depth > 4) return wrongType;
  const example = schema.example !== undefined ? [fc.constant(schema.example)] : [];
  if (schema.enum) return fc.oneof(fc.constantFrom(...schema.enum), wrongType);
  switch (schema.type ?? 'object') {
    case 'string':
      return fc.oneof(
        ...example,
        hostileString,
        schema.format === 'uuid' ? badId : hostileString,
        schema.format === 'date-time' ? fc.date({ noInvalidDate: false }).map(String) : hostileString,
        fc.nat({ max: 20_000 }).map((length) => 'x'.repeat(length)),
        wrongType,
      );
    case 'number':
    case 'integer':
      return fc.oneof(...example, hugeNumber, fc.integer(), fc.double(), wrongType);
    case 'boolean':
      return fc.oneof(fc.boolean(), wrongType);
    case 'array':
      return fc.oneof(
        fc.array(valueFor(schema.items, name, depth + 1), { maxLength: 5 }),
        fc.nat({ max: 3_000 }).map((length) => new Array<number>(length).fill(1)),
        wrongType,
      );
    case 'object':
    default:
      return schema.properties ? objectFor(schema, depth + 1) : wrongType;
  }
}

/** An object shaped like the schema, with each field kept, dropped or spoiled, maybe an unknown one. */
function objectFor(schema: Schema, depth: number): fc.Arbitrary<Record<string, unknown>> {
  const fields = Object.entries(schema.properties ?? {});
  return fc
    .tuple(
      fc.tuple(
        ...fields.map(([name, property]) =>
          fc.option(valueFor(property, name, depth), { nil: undefined, freq: 4 }),
        ),
      ),
      fc.option(fc.tuple(hostileString, valueFor(undefined, 'extra', depth)), { freq: 5 }),
    )
    .map(([values, extra]) => {
      const object: Record<string, unknown> = {};
      fields.forEach(([name], index) => {
        if (values[index] !== undefined) object[name] = values[index];
      });
      if (extra) object[extra[0]] = extra[1];
      return object;
    });
}

function rawBody(): fc.Arbitrary<FuzzCase['body']> {
  const raw = (label: string, contentType: string, text: string): FuzzCase['body'] => ({
    kind: 'raw',
    label,
    contentType,
    text,
  });
  return fc.oneof(
    fc.constant(raw('10,000 levels of nesting', 'application/json', DEEP(10_000))),
    fc.constant(
      raw('10,000 nested arrays', 'application/json', `${'['.repeat(10_000)}${']'.repeat(10_000)}`),
    ),
    fc.string({ maxLength: 30 }).map((text) => raw('invalid JSON', 'application/json', `{"${text}`)),
    fc
      .constantFrom(
        '[]',
        'null',
        '"text"',
        '12',
        'true',
        '1e400',
        '{"__proto__":{"x":1}}',
        '{"constructor":{"prototype":{"x":1}}}',
      )
      .map((text) => raw('JSON of another shape', 'application/json', text)),
    fc.constant(raw('a body over 64 KiB', 'application/json', JSON.stringify({ x: 'x'.repeat(70_000) }))),
    fc
      .constantFrom(
        'text/plain',
        'application/xml',
        'application/x-www-form-urlencoded',
        'image/png',
        ';;;',
        'application/json; charset=latin1',
        'multipart/form-data; boundary=x',
      )
      .map((type) =>
        raw('a wrong content type', type, type.startsWith('multipart') ? '--x\r\n\r\n--x--\r\n' : 'a=1&b=2'),
      ),
    fc.constant(raw('an empty JSON body', 'application/json', '')),
  );
}

function queryFor(parameters: Parameter[]): fc.Arbitrary<Record<string, string>> {
  const query = parameters.filter((parameter) => parameter.in === 'query');
  const valueOf = (parameter: Parameter): fc.Arbitrary<string> => {
    if (parameter.name === 'cursor') return badCursor;
    if (parameter.schema?.type === 'number')
      return fc.oneof(
        hugeNumber.map(String),
        fc.constantFrom('1', '100', '101', '-5', 'abc', '1e999', '0x10'),
        hostileString,
      );
    if (parameter.schema?.type === 'boolean')
      return fc.oneof(fc.constantFrom('true', 'false', '1', 'yes'), hostileString);
    if (parameter.schema?.format === 'uuid') return badId;
    if (parameter.schema?.format === 'date-time')
      return fc.oneof(
        fc
          .date({ noInvalidDate: false })
          .map((date) => (Number.isNaN(date.getTime()) ? 'invalid' : date.toISOString())),
        hostileString,
      );
    return hostileString;
  };
  return fc
    .tuple(
      fc.tuple(...query.map((parameter) => fc.option(valueOf(parameter), { nil: undefined }))),
      fc.option(
        fc.oneof(
          fc.tuple(hostileString, hostileString),
          // Reaches the screen every route has, also on routes that take no input of their own.
          fc.tuple(
            fc.constantFrom('q', 'x\u0000', LONE_SURROGATE),
            fc.constantFrom('\u0000', `a${LONE_SURROGATE}`),
          ),
        ),
        { freq: 4 },
      ),
    )
    .map(([values, extra]) => {
      const result: Record<string, string> = {};
      query.forEach((parameter, index) => {
        const value = values[index];
        if (value !== undefined) result[parameter.name] = value;
      });
      if (extra) result[extra[0]] = extra[1];
      return result;
    });
}

/** Cases for one operation: three in four signed in, and real path ids more often than not. */
export function casesFor(operation: Operation): fc.Arbitrary<FuzzCase> {
  const pathParameters = operation.parameters.filter((parameter) => parameter.in === 'path');
  const pathParams = fc
    .tuple(
      ...pathParameters.map(() =>
        fc.oneof(
          { weight: 3, arbitrary: fc.constant({ real: true as const }) },
          { weight: 1, arbitrary: badId.map((value) => ({ real: false as const, value })) },
        ),
      ),
    )
    .map((choices) =>
      Object.fromEntries(pathParameters.map((parameter, index) => [parameter.name, choices[index]])),
    );
  const body: fc.Arbitrary<FuzzCase['body']> = operation.body
    ? fc.oneof(
        {
          weight: 5,
          arbitrary: objectFor(operation.body, 0).map((value) => ({ kind: 'json' as const, value })),
        },
        { weight: 2, arbitrary: rawBody() },
      )
    : fc.oneof(
        { weight: 4, arbitrary: fc.constant({ kind: 'none' as const }) },
        { weight: 1, arbitrary: rawBody() },
      );
  return fc.record({
    signedIn: fc.oneof(
      { weight: 3, arbitrary: fc.constant(true) },
      { weight: 1, arbitrary: fc.constant(false) },
    ),
    pathParams,
    query: queryFor(operation.parameters),
    body,
  });
}

/** Fills the world's real ids into a body: fields named like an id get the real one half the time. */
export function withRealIds(value: unknown, world: World, coin: boolean): unknown {
  if (!coin || value === null || typeof value !== 'object' || Array.isArray(value)) return value;
  const object = { ...(value as Record<string, unknown>) };
  for (const name of Object.keys(object)) {
    const real = world.ids[name];
    if (real) object[name] = real;
  }
  if ('refreshToken' in object) object['refreshToken'] = world.refreshToken;
  if ('visitorId' in object) object['visitorId'] = world.visitorId;
  return object;
}

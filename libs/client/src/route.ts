import type { paths } from './schema';

/** The names in a path template's braces: `'/sites/{siteId}/webhooks/{webhookId}'` → `'siteId' | 'webhookId'`. */
type ParamNames<Path extends string> = Path extends `${string}{${infer Name}}${infer Rest}`
  ? Name | ParamNames<Rest>
  : never;

/** What fills a path's braces: nothing for a path without any. */
export type RouteArgs<Path extends string> = [ParamNames<Path>] extends [never]
  ? []
  : [params: Record<ParamNames<Path>, string | number>];

/**
 * A request path of Cloop's API, checked against `api/openapi.json` when it compiles: the template
 * must be one of the document's paths, and every brace gets a value (URI-encoded). For callers that
 * speak HTTP themselves (tests with supertest, `fetch`); `createCloopClient` takes templates directly.
 */
export function route<Path extends keyof paths>(path: Path, ...[params]: RouteArgs<Path>): string {
  const values: Record<string, string | number> = params ?? {};
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(String(values[name] ?? '')));
}

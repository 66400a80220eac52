import type { paths } from '@cloop/client';

/**
 * A path of the REST API as `api/openapi.json` writes it (`/api/v1/sites/{siteId}`): the keys of the
 * generated client's `paths`, so a path the API does not serve fails the console's type check. Only
 * the type is imported; the console keeps calling through `HttpClient` and its auth interceptor.
 */
export type ApiPath = keyof paths;

/** The names of a path's `{placeholders}`. */
type ParamsOf<P extends string> = P extends `${string}{${infer Name}}${infer Rest}`
  ? Name | ParamsOf<Rest>
  : never;

/** The URL of `path` with its placeholders filled in (each value URL-encoded). */
export function apiPath<P extends ApiPath>(
  path: P,
  ...[params]: [ParamsOf<P>] extends [never] ? [] : [Record<ParamsOf<P>, string>]
): string {
  const values: Record<string, string> = params ?? {};
  return path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? ''));
}

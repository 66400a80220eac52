import createClient, { type Client, type ClientOptions } from 'openapi-fetch';

import type { paths } from './schema';

export type { components, operations, paths } from './schema';

export interface CloopClientOptions {
  /** Where Cloop runs: its `PUBLIC_URL`, e.g. `https://chat.example.com`. */
  baseUrl: string;
  /** An organization API key (`ck_…`) or a console access token, sent as `Authorization: Bearer`. */
  token: string;
  /** A `fetch` of your own (a proxy, retries, tests); the global one by default. */
  fetch?: ClientOptions['fetch'];
}

/** Every path, parameter, body and response of `api/openapi.json`, typed. */
export type CloopClient = Client<paths>;

/**
 * A typed client of Cloop's REST API: `GET`, `POST`, `PATCH`, `PUT`, `DELETE` take the path as the
 * OpenAPI document writes it and return `{ data }` on success or `{ error }` (Cloop's error body).
 */
export function createCloopClient({ baseUrl, token, fetch }: CloopClientOptions): CloopClient {
  return createClient<paths>({
    baseUrl: baseUrl.replace(/\/+$/, ''),
    headers: { Authorization: `Bearer ${token}` },
    ...(fetch ? { fetch } : {}),
  });
}

/**
 * Browser storage keys: exactly what the cookie & storage policy lists (DESIGN §11).
 * Adding a key here means changing the published policy first.
 */
export const CONSOLE_STORAGE_KEYS = {
  accessToken: 'cloop.accessToken',
  refreshToken: 'cloop.refreshToken',
  siteId: 'cloop.siteId',
  theme: 'cloop.theme',
  locale: 'cloop.locale',
} as const;

export const widgetVisitorStorageKey = (publicKey: string): string => `cloop:visitor:${publicKey}`;
export const widgetOpenStorageKey = (publicKey: string): string => `cloop:open:${publicKey}`;

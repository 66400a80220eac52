/**
 * Runtime values the widget needs from `@cloop/contracts`. The widget imports contracts as types
 * only (zero bytes on customers' pages), so these few strings are copied here; each names its
 * source, and `contract-constants.spec.ts` fails when the two drift apart.
 */

/** `API_PREFIX` (libs/contracts/src/api-paths.ts). */
export const WIDGET_API = '/api/v1/widget';

/** `REALTIME_PATH` (libs/contracts/src/realtime.ts). */
export const REALTIME_PATH = '/api/v1/realtime';

/** `REALTIME_CLOSE_CODES.erased` (libs/contracts/src/realtime.ts): never reconnect as that visitor. */
export const CLOSE_ERASED = 4410;

/** `widgetVisitorStorageKey` (libs/contracts/src/storage-keys.ts): localStorage, the visitor UUID. */
export const visitorKey = (publicKey: string): string => `cloop:visitor:${publicKey}`;

/** `widgetOpenStorageKey` (libs/contracts/src/storage-keys.ts): sessionStorage, panel open or closed. */
export const openKey = (publicKey: string): string => `cloop:open:${publicKey}`;

/** `MESSAGE_BODY_MAX_LENGTH` (libs/contracts/src/conversations.ts). */
export const MESSAGE_MAX_LENGTH = 4000;

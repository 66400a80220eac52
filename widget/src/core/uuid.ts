/**
 * A random version-4 UUID. `crypto.randomUUID` exists only in secure contexts, and the widget also
 * runs on plain-http pages, where `getRandomValues` is still there: each `0`/`1` of the template
 * becomes a random hex digit, and the `8` a random one of 8–b (the RFC 4122 variant).
 */
export function newUuid(crypto: Crypto): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  return '10000000-1000-4000-8000-100000000000'.replace(/[018]/g, (c) =>
    (Number(c) ^ ((crypto.getRandomValues(new Uint8Array(1))[0] ?? 0) & (15 >> (Number(c) / 4)))).toString(
      16,
    ),
  );
}

import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { brotliCompress, constants } from 'node:zlib';
import { promisify } from 'node:util';

import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

const compress = promisify(brotliCompress);

export const CONSOLE_BASE_PATH = '/console/';

export interface ConsoleAppOptions {
  /** The Angular build output (`dist/console/browser`). */
  dir: string;
  /** `PUBLIC_URL`: its origin, as ws(s), may carry the realtime socket. */
  publicUrl: string;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.json', '.svg', '.txt']);
/** esbuild's content hashes: `main-ABCD1234.js`, `chunk-…`, `styles-….css`. */
const HASHED = /-[A-Z0-9]{8}\.(?:js|css)$/;

/**
 * The console's Content-Security-Policy (issue 6, outcome 8): nothing inline, nothing from
 * elsewhere. Styles come from one stylesheet (components carry none), so style-src needs no
 * 'unsafe-inline' either. The tokens in localStorage are safe only as long as this holds.
 */
export function consoleCsp(publicUrl: string): string {
  const url = new URL(publicUrl);
  const socketOrigin = `${url.protocol === 'https:' ? 'wss' : 'ws'}://${url.host}`;
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self' ${socketOrigin}`,
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
  ].join('; ');
}

interface CachedFile {
  mtimeMs: number;
  body: Buffer;
  brotli: Buffer | null;
}

/**
 * Serves the built console under `/console/`: files as they are, any other path the single-page
 * app's `index.html` (deep links), hashed assets cached for a year, `index.html` never cached.
 * Without a build it answers 503 with what to run, instead of failing.
 */
export function serveConsole(fastify: FastifyInstance, options: ConsoleAppOptions): void {
  const root = resolve(options.dir);
  const csp = consoleCsp(options.publicUrl);
  const cache = new Map<string, CachedFile>();

  const load = async (file: string): Promise<CachedFile | null> => {
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return null;
    const known = cache.get(file);
    if (known && known.mtimeMs === info.mtimeMs) return known;
    const body = await readFile(file);
    const brotli = COMPRESSIBLE.has(extname(file))
      ? await compress(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } })
      : null;
    const entry = { mtimeMs: info.mtimeMs, body, brotli };
    cache.set(file, entry);
    return entry;
  };

  const send = (request: FastifyRequest, reply: FastifyReply, file: string, entry: CachedFile) => {
    const type = TYPES[extname(file)] ?? 'application/octet-stream';
    const acceptsBrotli = /\bbr\b/.test(String(request.headers['accept-encoding'] ?? ''));
    void reply
      .header('Content-Security-Policy', csp)
      .header('Content-Type', type)
      .header('Cache-Control', HASHED.test(file) ? 'public, max-age=31536000, immutable' : 'no-cache')
      .header('Vary', 'Accept-Encoding');
    if (entry.brotli && acceptsBrotli) {
      return reply.header('Content-Encoding', 'br').send(entry.brotli);
    }
    return reply.send(entry.body);
  };

  const handler = async (request: FastifyRequest, reply: FastifyReply) => {
    let path: string;
    try {
      path = decodeURIComponent(request.url.split('?')[0] ?? '').slice(CONSOLE_BASE_PATH.length);
    } catch {
      return reply.code(400).type('text/plain').send('Bad path');
    }
    const index = resolve(root, 'index.html');
    const candidate = resolve(root, path);
    const inside = candidate.startsWith(root + sep);
    if (inside && path !== '' && !path.endsWith('/')) {
      const entry = await load(candidate);
      if (entry) return send(request, reply, candidate, entry);
      // A missing asset is a 404, not the app: a stale chunk must fail loudly, not parse HTML as JS.
      if (extname(path) !== '')
        return reply.code(404).header('Cache-Control', 'no-cache').type('text/plain').send('Not found');
    }
    const app = await load(index);
    if (!app) {
      return reply
        .code(503)
        .header('Cache-Control', 'no-store')
        .type('text/plain; charset=utf-8')
        .send(
          'The console is not built. Run `npm run build` (or `npx nx run console:build`) and restart Cloop.\n',
        );
    }
    return send(request, reply, index, app);
  };

  fastify.get('/console', (_request, reply) => reply.redirect(CONSOLE_BASE_PATH, 301));
  fastify.get(`${CONSOLE_BASE_PATH}*`, handler);
}

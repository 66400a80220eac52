import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface WidgetBundle {
  body: Buffer;
  gzip: Buffer;
  etag: string;
}

/**
 * Where `nx run widget:build` puts `widget.js`: beside the built api in `dist/`, or under the
 * working directory when the api runs from source (tests).
 */
export function defaultWidgetDir(): string {
  const besideBuiltApi = resolve(__dirname, '..', '..', '..', '..', 'widget');
  return existsSync(join(besideBuiltApi, 'widget.js')) ? besideBuiltApi : resolve('dist', 'widget');
}

/**
 * The built widget, read once and again only when the file changes (a rebuild while Cloop runs),
 * gzipped once rather than per request.
 */
export class WidgetBundleFile {
  private cached: { mtimeMs: number; bundle: WidgetBundle } | null = null;

  constructor(private readonly path: string) {}

  /** `null` when the widget has not been built. */
  read(): WidgetBundle | null {
    let mtimeMs: number;
    try {
      mtimeMs = statSync(this.path).mtimeMs;
    } catch {
      return null;
    }
    if (this.cached?.mtimeMs !== mtimeMs) {
      const body = readFileSync(this.path);
      const hash = createHash('sha256').update(body).digest('base64url').slice(0, 22);
      this.cached = { mtimeMs, bundle: { body, gzip: gzipSync(body, { level: 9 }), etag: `"${hash}"` } };
    }
    return this.cached.bundle;
  }
}

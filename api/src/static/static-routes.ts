import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

import { DEMO_CSP, DEMO_CSS, DEMO_HTML, DEMO_SCRIPT } from './demo-page';
import { FAVICON_SVG } from './favicon';
import { WidgetBundleFile } from './widget-bundle';

/** The embed URL has no version in it, so caches may keep it only briefly; the ETag makes rechecks cheap. */
export const WIDGET_CACHE_CONTROL = 'public, max-age=300';

/**
 * Files for browsers, outside `/api`: the widget at `/widget.js` (loaded by other sites' pages) and
 * the demo page at `/`. Plain Fastify routes, not Nest controllers: nothing here is an API
 * operation, and there is nothing to authorize.
 */
export function serveStaticFiles(fastify: FastifyInstance, widgetJsPath: string): void {
  const widget = new WidgetBundleFile(widgetJsPath);

  fastify.get('/widget.js', async (request, reply) => {
    const bundle = widget.read();
    if (!bundle) {
      return reply.status(404).send({
        statusCode: 404,
        error: 'Not Found',
        message: 'The widget is not built: run `npm run build`',
        code: 'ROUTE_NOT_FOUND',
      });
    }
    void reply
      .header('Content-Type', 'application/javascript; charset=utf-8')
      .header('Cache-Control', WIDGET_CACHE_CONTROL)
      .header('ETag', bundle.etag)
      .header('Vary', 'Accept-Encoding')
      // Helmet's same-origin default would stop every other site from loading the script.
      .header('Cross-Origin-Resource-Policy', 'cross-origin');
    if (request.headers['if-none-match'] === bundle.etag) return reply.status(304).send();
    if (acceptsGzip(request)) return reply.header('Content-Encoding', 'gzip').send(bundle.gzip);
    return reply.send(bundle.body);
  });

  const page = (type: string, body: string) => async (_request: FastifyRequest, reply: FastifyReply) =>
    reply
      .header('Content-Type', `${type}; charset=utf-8`)
      .header('Cache-Control', 'public, max-age=300')
      .header('Content-Security-Policy', DEMO_CSP)
      .send(body);
  fastify.get('/', page('text/html', DEMO_HTML));
  fastify.get('/demo.js', page('application/javascript', DEMO_SCRIPT));
  fastify.get('/demo.css', page('text/css', DEMO_CSS));
  fastify.get('/favicon.ico', async (_request, reply) =>
    reply
      .header('Content-Type', 'image/svg+xml')
      .header('Cache-Control', 'public, max-age=86400')
      .send(FAVICON_SVG),
  );
}

function acceptsGzip(request: FastifyRequest): boolean {
  return /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''));
}

import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Where `node scripts/build-web.js` (run by `npm start`) puts the Vite build. */
export const WEB_ROOT = fileURLToPath(new URL('../../../dist/web/', import.meta.url));

/**
 * The page's policy: only this origin's scripts, styles, fonts and connections. No inline script
 * or style (React sets styles through the CSSOM, which CSP does not govern), so injected markup
 * can neither run nor restyle the page; images from this origin or data: only, so a Markdown
 * document cannot make the browser call out to a tracking pixel.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Paths that belong to the server: a client route never shadows them. */
const SERVER_PATHS = /^\/(api(\/|$)|docs(\/|$)|openapi\.json$|metrics$|healthz$|readyz$)/;

const isHashedAsset = (file: string) => /[/\\]assets[/\\]/.test(file);

/**
 * Serves the single-page web app at /: hashed assets with a year-long immutable cache,
 * index.html (never cached, with the CSP) for every client route. Without a build (API-only
 * tests, a checkout before `npm start`), / says how to build it.
 */
export async function registerWebApp(app: FastifyInstance, root = WEB_ROOT): Promise<void> {
  const built = fs.existsSync(`${root}index.html`);
  if (!built) {
    app.get('/', { schema: { hide: true } }, (_req, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .send('The web app is not built. Run `npm start` (it builds it) or `npm run build:web`.'),
    );
    return;
  }
  await app.register(fastifyStatic, {
    root,
    index: false,
    // One route per file found now: unknown paths fall through to the client-route handler.
    wildcard: false,
    serve: true,
    setHeaders(reply, file) {
      if (isHashedAsset(file)) {
        void reply.header('cache-control', 'public, max-age=31536000, immutable');
      } else {
        void reply.header('cache-control', 'no-cache');
      }
      if (file.endsWith('.html'))
        void reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    },
  });
  const sendIndex = (reply: FastifyReply) => reply.sendFile('index.html');
  app.get('/', { schema: { hide: true } }, (_req, reply) => sendIndex(reply));
  app.get('/*', { schema: { hide: true } }, (req, reply) => {
    const path = req.url.split('?')[0] ?? '';
    // Server paths keep their JSON 404; a missing asset is a 404, not the app's HTML.
    if (SERVER_PATHS.test(path) || path.startsWith('/assets/')) {
      return reply.callNotFound();
    }
    return sendIndex(reply);
  });
}

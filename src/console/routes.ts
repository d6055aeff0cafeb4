import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';

/**
 * The staff console: a single-page app (src/console/web, bundled by
 * `npm run build` into dist/console-web) that signs people in and calls the
 * same /v1 routes as any counter app, with the same checks. This plugin only
 * serves its files: the page, and the assets the build names with a content
 * hash (cached for good). Nothing outside that folder is reachable.
 */
export const CONSOLE_DIR = path.resolve(import.meta.dirname, '../../dist/console-web');

/** The page may load only its own script and stylesheet and talk only to this service; no other site may frame it. */
const POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "connect-src 'self'",
  "frame-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

async function loadAssets(dir: string): Promise<{ page: string | null; assets: Map<string, Buffer> }> {
  const assets = new Map<string, Buffer>();
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return { page: null, assets };
  }
  for (const name of names) if (TYPES[path.extname(name)]) assets.set(name, await readFile(path.join(dir, name)));
  const page = names.includes('index.html') ? await readFile(path.join(dir, 'index.html'), 'utf8') : null;
  return { page, assets };
}

const consoleRoutes: FastifyPluginAsync<{ dir?: string }> = async (app, opts) => {
  const { page, assets } = await loadAssets(opts.dir ?? CONSOLE_DIR);
  // Source maps help a developer read the bundle; production does not publish them.
  if (app.config.NODE_ENV === 'production') for (const name of [...assets.keys()]) if (name.endsWith('.map')) assets.delete(name);
  const secure = (reply: FastifyReply) =>
    reply.header('content-security-policy', POLICY).header('x-frame-options', 'DENY').header('x-content-type-options', 'nosniff').header('referrer-policy', 'same-origin');

  const sendPage = async (_request: unknown, reply: FastifyReply) => {
    secure(reply).header('cache-control', 'no-cache');
    if (!page) return reply.code(503).type('text/plain; charset=utf-8').send('The staff console is not built: run `npm run build`.');
    return reply.type('text/html; charset=utf-8').send(page);
  };
  app.get('/', { schema: { hide: true } }, async (_request, reply) => reply.redirect('/console'));
  // Browsers ask for it on every page; there is none.
  app.get('/favicon.ico', { schema: { hide: true } }, async (_request, reply) => reply.code(204).send());
  app.get('/console', { schema: { hide: true } }, sendPage);
  app.get('/console/', { schema: { hide: true } }, sendPage);

  app.get<{ Params: { file: string } }>('/console/assets/:file', { schema: { hide: true } }, async (request, reply) => {
    const body = assets.get(request.params.file);
    secure(reply);
    if (!body) return reply.code(404).type('text/plain; charset=utf-8').send('Not found');
    return reply.header('cache-control', 'public, max-age=31536000, immutable').type(TYPES[path.extname(request.params.file)]!).send(body);
  });
};

export default consoleRoutes;

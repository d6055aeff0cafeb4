import { readdirSync } from 'node:fs';
import t from 'tap';
import Fastify from 'fastify';
import consoleRoutes, { CONSOLE_DIR } from '../../src/console/routes.ts';
import { testApp } from '../helpers/app.ts';

const files = readdirSync(CONSOLE_DIR);
const script = files.find((f) => /^main-.*\.js$/.test(f))!;

t.test('the console is served with a strict policy, only its own files, and no source map in production', async (t) => {
  const dev = await testApp('postgres');
  t.teardown(() => dev.close());
  const root = await dev.app.inject({ url: '/' });
  t.equal(root.statusCode, 302);
  t.equal(root.headers.location, '/console');
  const page = await dev.app.inject({ url: '/console' });
  t.equal(page.statusCode, 200);
  t.match(page.body, `<script type="module" src="/console/assets/${script}"></script>`);
  const policy = String(page.headers['content-security-policy']);
  t.match(policy, "script-src 'self'");
  t.match(policy, "frame-ancestors 'none'");
  t.equal(page.headers['x-frame-options'], 'DENY');
  t.equal(page.headers['cache-control'], 'no-cache');
  const asset = await dev.app.inject({ url: `/console/assets/${script}` });
  t.equal(asset.statusCode, 200);
  t.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
  t.equal(asset.headers['content-type'], 'text/javascript; charset=utf-8');
  for (const path of ['/console/assets/index.html', '/console/assets/..%2F..%2Fpackage.json', '/console/assets/%2e%2e%2fserver.js']) {
    t.equal((await dev.app.inject({ url: path })).statusCode, 404, `${path} is not served`);
  }
  t.equal((await dev.app.inject({ url: `/console/assets/${script}.map` })).statusCode, 200, 'a developer gets the source map');
  const docs = await dev.app.inject({ url: '/docs/static/index.html' });
  t.match(String(docs.headers['content-security-policy']), "frame-ancestors 'none'");
  t.notMatch(String(docs.headers['content-security-policy']), 'upgrade-insecure-requests', 'the docs work over plain HTTP on a center’s network');

  // The plugin alone, in a production configuration (a whole production app needs a real signer).
  const production = Fastify();
  production.decorate('config', { ...dev.app.config, NODE_ENV: 'production' });
  await production.register(consoleRoutes);
  t.teardown(() => production.close());
  t.equal((await production.inject({ url: `/console/assets/${script}` })).statusCode, 200);
  t.equal((await production.inject({ url: `/console/assets/${script}.map` })).statusCode, 404, 'production publishes no source map');
});

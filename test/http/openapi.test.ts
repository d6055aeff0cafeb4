import { readFile } from 'node:fs/promises';
import t from 'tap';
import { parse } from 'yaml';
import { errorCatalogue } from '../../src/http/errors.ts';
import { generateOpenapiYaml } from '../../scripts/openapi.ts';
import { testApp } from '../helpers/app.ts';

t.test('openapi.yaml is what the zod schemas generate (run `npm run openapi` after changing a route)', async (t) => {
  const committed = await readFile('openapi.yaml', 'utf8');
  t.equal(await generateOpenapiYaml(), committed);
});

t.test('/openapi.json serves the same contract, and /docs the interactive docs', async (t) => {
  const ctx = await testApp('postgres');
  t.teardown(() => ctx.close());
  const json = (await ctx.app.inject({ url: '/openapi.json' })).json();
  t.same(json, parse(await readFile('openapi.yaml', 'utf8')));
  t.ok(json.paths['/v1/receipts'].post, 'issuing is in the contract');
  t.same(json.paths['/healthz'].get.security, [], 'public routes need no key');
  t.same(json.paths['/v1/receipts'].post.responses['4XX'].content['application/json'].schema, { $ref: '#/components/schemas/Problem' }, 'problems refer to one schema');
  t.same(json.paths['/v1/receipts'].post.responses['5XX'].content['application/json'].schema, { $ref: '#/components/schemas/Problem' });
  t.same(json.components.schemas.Problem.properties.code.enum.sort(), Object.keys(errorCatalogue).sort(), 'every error code is in the contract');
  t.equal(JSON.stringify(json).split('"DATABASE_UNAVAILABLE"').length - 1, 2, 'the error codes are written once (with the input copy), not per response');
  const docs = await ctx.app.inject({ url: '/docs/' });
  t.equal(docs.statusCode, 200);
  t.match(docs.body, /swagger-ui/i);
});

t.test('every error code is documented in the README', async (t) => {
  const readme = await readFile('README.md', 'utf8');
  for (const [code, { status }] of Object.entries(errorCatalogue)) {
    t.match(readme, new RegExp(`\\| \`${code}\` \\| ${status} \\|`), `${code} (${status}) in the README's error table`);
  }
});

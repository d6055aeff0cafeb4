import { readFile } from 'node:fs/promises';
import t from 'tap';
import { parse } from 'yaml';
import { errorCatalogue } from '../../src/http/errors.ts';
import { generateOpenapiTypes, generateOpenapiYaml } from '../../scripts/openapi.ts';
import { demoReceipt, issue, testApp } from '../helpers/app.ts';

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
  t.same(json.paths['/v1/receipts'].post.responses['4XX'].content['application/problem+json'].schema, { $ref: '#/components/schemas/Problem' }, 'problems refer to one schema');
  t.same(json.paths['/v1/receipts'].post.responses['5XX'].content['application/problem+json'].schema, { $ref: '#/components/schemas/Problem' });
  t.same(json.components.schemas.Problem.properties.code.enum.sort(), Object.keys(errorCatalogue).sort(), 'every error code is in the contract');
  t.equal(JSON.stringify(json).split('"DATABASE_UNAVAILABLE"').length - 1, 1, 'the error codes are written once, not per response');
  const docs = await ctx.app.inject({ url: '/docs/' });
  t.equal(docs.statusCode, 200);
  t.match(docs.body, /swagger-ui/i);
});

t.test('the contract a counter app generates a client from: ids, named schemas, success and problem responses, Idempotency-Key', async (t) => {
  const doc = parse(await readFile('openapi.yaml', 'utf8')) as {
    servers: Array<{ url: string }>;
    components: { schemas: Record<string, unknown> };
    paths: Record<
      string,
      Record<
        string,
        {
          operationId?: string;
          parameters?: Array<{ name: string; in: string; required?: boolean }>;
          responses: Record<string, { content?: Record<string, unknown> }>;
          requestBody?: { content: Record<string, unknown> };
        }
      >
    >;
  };
  const operations = Object.entries(doc.paths).flatMap(([path, ops]) => Object.entries(ops).map(([method, op]) => ({ key: `${method.toUpperCase()} ${path}`, op })));
  t.ok(operations.length >= 70, `${operations.length} operations`);
  t.same(
    operations.filter((o) => !o.op.operationId).map((o) => o.key),
    [],
    'every operation has an operationId',
  );
  t.equal(new Set(operations.map((o) => o.op.operationId)).size, operations.length, 'operationIds are unique');
  t.equal(doc.paths['/v1/receipts/{id}/xml']!.get!.operationId, 'getReceiptsByIdXml');
  t.same(
    operations.filter((o) => !Object.keys(o.op.responses).some((s) => s.startsWith('2'))).map((o) => o.key),
    [],
    'every operation documents its success response',
  );
  t.same(Object.keys(doc.paths['/v1/receipts/{id}/xml']!.get!.responses['200']!.content!), ['application/xml']);
  const problemsAsJson = operations.filter((o) => Object.entries(o.op.responses).some(([s, r]) => /^[45]/.test(s) && r.content?.['application/json']));
  t.same(
    problemsAsJson.map((o) => o.key),
    [],
    'problems are application/problem+json',
  );
  t.same(Object.keys(doc.paths['/v1/verify']!.post!.requestBody!.content), ['application/xml'], 'POST /v1/verify takes the XML');
  for (const name of ['Receipt', 'Refund', 'ErrorNotice', 'Department', 'Fee', 'Series', 'ApiKey', 'VerificationResult', 'Problem']) t.ok(doc.components.schemas[name], `component ${name}`);
  t.same(doc.paths['/v1/receipts']!.post!.responses['201']!.content!['application/json'], { schema: { $ref: '#/components/schemas/Receipt' } }, 'a receipt refers to its component');
  t.match(doc.servers, [{ url: 'http://127.0.0.1:3000' }]);
  const declared = operations
    .filter((o) => o.op.parameters?.some((p) => p.in === 'header' && p.name === 'Idempotency-Key' && p.required))
    .map((o) => o.key)
    .sort();
  t.same(declared, ['POST /v1/receipts', 'POST /v1/receipts/batch', 'POST /v1/receipts/{id}/error-notices', 'POST /v1/receipts/{id}/refunds', 'POST /v1/receipts/{id}/replacement']);
  // What the contract declares is what the service does: each refuses a request without the key.
  const ctx = await testApp('postgres');
  t.teardown(() => ctx.close());
  const receipt = (await issue(ctx)).json();
  const valid: Record<string, object> = {
    'POST /v1/receipts': demoReceipt,
    'POST /v1/receipts/batch': { receipts: [demoReceipt] },
    'POST /v1/receipts/{id}/error-notices': { field: 'payer.address', correctValue: '14 Lê Lợi', reason: 'Số nhà' },
    'POST /v1/receipts/{id}/refunds': { amount: 100_000, reason: 'Nộp thừa' },
    'POST /v1/receipts/{id}/replacement': { ...demoReceipt, reason: 'Sai khoản thu' },
  };
  for (const key of declared) {
    const [method, path] = key.split(' ') as [string, string];
    const res = await ctx.app.inject({
      method: method as 'POST',
      url: path.replace('{id}', receipt.id),
      headers: { authorization: `Bearer ${ctx.keys.cashier}`, 'content-type': 'application/json' },
      payload: valid[key],
    });
    t.equal(res.json().code, 'IDEMPOTENCY_KEY_REQUIRED', `${key} without Idempotency-Key: ${res.body.slice(0, 200)}`);
  }
});

t.test('the typed client’s types are what openapi.yaml generates (run `npm run openapi`)', async (t) => {
  t.equal(await generateOpenapiTypes(await readFile('openapi.yaml', 'utf8')), await readFile('src/console/web/api-types.ts', 'utf8'));
});

t.test('every error code is documented in the README', async (t) => {
  const readme = await readFile('README.md', 'utf8');
  for (const [code, { status }] of Object.entries(errorCatalogue)) {
    t.match(readme, new RegExp(`\\| \`${code}\` \\| ${status} \\|`), `${code} (${status}) in the README's error table`);
  }
});

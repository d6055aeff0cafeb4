import createClient from 'openapi-fetch';
import t from 'tap';
import type { paths } from '../../src/console/web/api-types.ts';
import { testApp } from '../helpers/app.ts';

/**
 * A counter app's view of the contract: a client typed from openapi.yaml
 * (openapi-typescript + openapi-fetch, `npm run openapi` regenerates the
 * types) issues a receipt over real HTTP and reads it back. `tsc --noEmit` in
 * `npm test` type-checks this file against the generated types, so a contract
 * that drifts from these calls fails the build.
 */
t.test('a typed client generated from the contract issues a receipt and reads it back', async (t) => {
  const ctx = await testApp('postgres');
  t.teardown(() => ctx.close());
  const address = await ctx.app.listen({ host: '127.0.0.1', port: 0 });
  const client = createClient<paths>({ baseUrl: address, headers: { authorization: `Bearer ${ctx.keys.cashier}` } });

  const issued = await client.POST('/v1/receipts', {
    params: { header: { 'Idempotency-Key': 'typed-client-1' } },
    body: { department: 'STP', payer: { name: 'Nguyễn Văn An' }, items: [{ feeCode: 'STP-LLTP', quantity: 2 }], paymentMethod: 'cash' },
  });
  t.equal(issued.response.status, 201);
  const receipt = issued.data!;
  t.equal(receipt.number, 1);
  t.equal(receipt.total, 400_000);
  t.equal(receipt.totalInWords, 'Bốn trăm nghìn đồng');

  const read = await client.GET('/v1/receipts/{id}', { params: { path: { id: receipt.id } } });
  t.equal(read.data?.id, receipt.id);
  t.equal(read.data?.series, receipt.series);

  // A problem is typed too: no Idempotency-Key is refused before anything happens.
  const refused = await client.POST('/v1/receipts', {
    params: { header: { 'Idempotency-Key': '' } },
    body: { department: 'STP', payer: { name: 'Nguyễn Văn An' }, items: [{ feeCode: 'STP-LLTP' }], paymentMethod: 'cash' },
  });
  t.equal(refused.response.status, 400);
  t.equal(refused.response.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  t.equal(refused.error?.code, 'IDEMPOTENCY_KEY_REQUIRED');
});

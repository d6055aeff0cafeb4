import fc from 'fast-check';
import t from 'tap';
import { canonicalJson } from '../../src/text/canonical-json.ts';

/** The hand-written canonical JSON the audit chain hashed with before RFC 8785's library: chains already stored must still verify. */
function before(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(before).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${before(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

t.test('canonical JSON is RFC 8785: sorted keys at every level, no whitespace', async (t) => {
  t.equal(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 'ệ' }], c: null } }), '{"a":{"c":null,"d":[3,{"y":"ệ","z":1}]},"b":1}');
  t.equal(canonicalJson({ n: 1e21, m: 0.1, k: -0 }), '{"k":0,"m":0.1,"n":1e+21}');
  t.throws(() => canonicalJson(undefined), /canonical JSON of undefined/);
});

t.test('it gives the same text as the function stored audit hashes were made with, for any JSON value', async (t) => {
  fc.assert(
    fc.property(fc.jsonValue(), (value) => canonicalJson(value) === before(value)),
    { numRuns: 2000 },
  );
  t.pass('2,000 random JSON values');
});

import canonicalize from 'canonicalize';

/**
 * JSON with keys sorted at every level and no insignificant whitespace (RFC
 * 8785, the JSON Canonicalization Scheme): the same value always gives the same
 * text, whatever its key order (jsonb reorders keys). The audit chain hashes it,
 * and idempotency compares request bodies by it.
 */
export function canonicalJson(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error('canonical JSON of undefined');
  return text;
}

import { z } from 'zod';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (v: unknown): v is string => typeof v === 'string' && UUID.test(v);

/**
 * A resource id in a path: any letter case is the same id (RFC 9562 §4),
 * read as lower case, so an upper-case id finds its resource and lookups
 * compare uuid to uuid on the primary key's index.
 */
export const uuidParam = z.uuid().overwrite((v) => v.toLowerCase());
export const idParams = z.object({ id: uuidParam });

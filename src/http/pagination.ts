import { z } from 'zod';
import { AppError } from './errors.ts';

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(50).describe('Page size, 1–100'),
  cursor: z.string().max(200).optional().describe('nextCursor of the previous page'),
};

export const pageOf = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), nextCursor: z.string().nullable() });

export function encodeCursor(value: string | number): string {
  return Buffer.from(String(value)).toString('base64url');
}

const cursorKinds = {
  /** A sequence number or bigserial id. */
  int: /^[1-9]\d{0,15}$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
  /** A department or fee code. */
  code: /^[A-Z0-9][A-Z0-9_.-]{0,29}$/,
  /** A daily summary's data Id. */
  summary: /^TH-\d{4}-\d{2}-\d{2}(-[A-Z0-9][A-Z0-9_.-]{0,29})?$/,
} as const;

function invalidCursor(): AppError {
  return new AppError('VALIDATION_FAILED', 'cursor is not a nextCursor this list returned', [{ field: 'querystring.cursor', message: 'is not a nextCursor this list returned' }]);
}

/**
 * Reads a nextCursor back, checked against the kind of key the list pages
 * by: anything else is a 400, never a query that fails in the database.
 */
export function decodeCursor(cursor: string | undefined, kind: 'int'): number | undefined;
export function decodeCursor(cursor: string | undefined, kind: 'uuid' | 'code' | 'summary'): string | undefined;
export function decodeCursor(cursor: string | undefined, kind: keyof typeof cursorKinds): number | string | undefined {
  if (cursor === undefined) return undefined;
  if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalidCursor();
  const value = Buffer.from(cursor, 'base64url').toString();
  if (!cursorKinds[kind].test(value)) throw invalidCursor();
  return kind === 'int' ? Number(value) : value;
}

/**
 * A list that is small by nature (a receipt's refunds, a department's rates,
 * closed months): all of it in one page, in the same { data, nextCursor } shape.
 */
export const wholeList = <T extends z.ZodType>(item: T) => z.object({ data: z.array(item), nextCursor: z.null() });

/** Builds a page from rows fetched with limit + 1: the extra row only says there is more. */
export function toPage<R, T>(rows: R[], limit: number, view: (row: R) => T, key: (row: R) => string | number) {
  const more = rows.length > limit;
  const pageRows = more ? rows.slice(0, limit) : rows;
  return {
    data: pageRows.map(view),
    nextCursor: more ? encodeCursor(key(pageRows[pageRows.length - 1]!)) : null,
  };
}

/**
 * Cursor pagination over `(time, id)`: stable under inserts (a new row never shifts a page) and
 * indexed on both engines. The cursor is opaque to clients; a damaged one is a 400, not a 500.
 */
import { sql, type RawBuilder, type SqlBool } from 'kysely';
import { TwofoldError } from '../../core/errors.ts';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

export interface PageParams {
  readonly cursor?: string | undefined;
  readonly limit?: string | number | undefined;
}

/** Where the previous page ended. */
export interface CursorPosition {
  readonly at: number;
  readonly id: string;
}

export interface Page<T> {
  readonly items: T[];
  readonly nextCursor: string | null;
}

/** The page size asked for: 50 by default, 1 to 200; anything else is `validation_failed`. */
export function pageSize(limit: PageParams['limit']): number {
  if (limit === undefined) return DEFAULT_PAGE_SIZE;
  const n = typeof limit === 'number' ? limit : Number(limit);
  if (!Number.isInteger(n) || n < 1 || n > MAX_PAGE_SIZE) {
    throw new TwofoldError('validation_failed', `limit must be between 1 and ${MAX_PAGE_SIZE}.`, { errors: [{ field: 'querystring/limit', message: 'out of range' }] });
  }
  return n;
}

export function encodeCursor(position: CursorPosition): string {
  return Buffer.from(JSON.stringify([position.at, position.id]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string | undefined): CursorPosition | null {
  if (cursor === undefined || cursor === '') return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && Number.isSafeInteger(value[0]) && typeof value[1] === 'string') {
      return { at: value[0] as number, id: value[1] };
    }
  } catch {
    // fall through: a cursor we did not make
  }
  throw new TwofoldError('validation_failed', 'The cursor is not valid; start again from the first page.', { errors: [{ field: 'querystring/cursor', message: 'not a cursor from this API' }] });
}

/** Cuts a `size + 1` fetch into a page and the cursor of the next one. */
export function toPage<Row, T>(rows: Row[], size: number, position: (row: Row) => CursorPosition, map: (rows: Row[]) => T[] | Promise<T[]>): Promise<Page<T>> {
  const more = rows.length > size;
  const kept = more ? rows.slice(0, size) : rows;
  const last = kept[kept.length - 1];
  return Promise.resolve(map(kept)).then((items) => ({
    items,
    nextCursor: more && last !== undefined ? encodeCursor(position(last)) : null,
  }));
}

/**
 * The keyset condition of a page: rows after (ascending order) or before (descending order) the
 * previous page's last row, whose values of the sort columns are `values`; `upTo` bounds a range at
 * a page's own last row, inclusive. Written as one row-value
 * comparison, `(a, b) > (x, y)`: both engines seek the (a, b) index to that point, so every page costs
 * the same however deep. The equivalent `a > x or (a = x and b > y)` gives SQLite no range: it walks the
 * index from the first row and skips, and the 50th page of a 100,000-row walk cost 50 times the first.
 * Column names come from the code, never from a request.
 */
export function keysetCondition(
  columns: readonly [string, string],
  values: readonly [string | number, string | number],
  direction: 'after' | 'before' | 'upTo',
): RawBuilder<SqlBool> {
  const operator = sql.raw({ after: '>', before: '<', upTo: '<=' }[direction]);
  return sql<SqlBool>`(${sql.ref(columns[0])}, ${sql.ref(columns[1])}) ${operator} (${values[0]}, ${values[1]})`;
}

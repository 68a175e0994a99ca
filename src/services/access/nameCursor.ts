/**
 * Keyset pagination over `(name, id)`, for lists read in name order (the tree's groups, the
 * administrators). Like the time cursor in pagination.ts it is opaque to clients, and a damaged one is
 * a 400, not a 500.
 */
import { TwofoldError } from '../../core/errors.ts';

export interface NamePosition {
  readonly name: string;
  readonly id: string;
}

export function encodeNameCursor(position: NamePosition): string {
  return Buffer.from(JSON.stringify([position.name, position.id]), 'utf8').toString('base64url');
}

export function decodeNameCursor(cursor: string | undefined): NamePosition | null {
  if (cursor === undefined || cursor === '') return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'string') {
      return { name: value[0], id: value[1] };
    }
  } catch {
    // fall through: a cursor we did not make
  }
  throw new TwofoldError('validation_failed', 'The cursor is not valid; start again from the first page.', { errors: [{ field: 'querystring/cursor', message: 'not a cursor from this API' }] });
}

/** A page size from `limit`: `fallback` when absent, 1 to `max`; anything else is `validation_failed`. */
export function boundedLimit(limit: string | number | undefined, fallback: number, max: number): number {
  if (limit === undefined) return fallback;
  const n = typeof limit === 'number' ? limit : Number(limit);
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new TwofoldError('validation_failed', `limit must be between 1 and ${max}.`, { errors: [{ field: 'querystring/limit', message: 'out of range' }] });
  }
  return n;
}

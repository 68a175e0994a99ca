/**
 * No text Twofold accepts may hold a NUL character: PostgreSQL refuses one in any text value (the
 * request would end in a 500), SQLite would store it and cut strings short elsewhere, and no email,
 * name, id or code has a use for it. Every request's path parameters, query and JSON body are checked
 * before validation, and a NUL is a 400 `validation_failed` naming the field.
 */
import type { FastifyInstance } from 'fastify';
import { TwofoldError } from '../core/errors.ts';

/** The path (e.g. `body/members/2/name`) of the first string in `value` holding a NUL, or null. */
function nulPath(value: unknown, path: string): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = nulPath(item, `${path}/${i}`);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) {
      const found = nulPath(key, `${path}/${key}`) ?? nulPath(item, `${path}/${key}`);
      if (found) return found;
    }
  }
  return null;
}

export function rejectNulCharacters(app: FastifyInstance): void {
  // A callback hook, not an async one: it runs on every request, and it has nothing to wait for.
  app.addHook('preValidation', (request, _reply, done) => {
    const field = nulPath(request.params, 'params') ?? nulPath(request.query, 'querystring') ?? nulPath(request.body, 'body');
    done(field ? new TwofoldError('validation_failed', 'The request is not valid.', {
      errors: [{ field, message: 'must not contain a NUL character' }],
    }) : undefined);
  });
}

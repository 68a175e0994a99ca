/**
 * JSON bodies with a bounded nesting depth. The JSON text itself parses fine however deep it is, but
 * everything that walks the parsed value afterwards (prototype-poisoning scan, schema validation, the
 * NUL check) recurses, and a few thousand nested `[` overflow the stack: a 500 on every route that
 * takes a body. No request Twofold accepts nests deeper than a handful of levels, so the text is
 * measured first, without recursion, and anything deeper than {@link MAX_JSON_DEPTH} is a 400
 * `validation_failed` before any parsing.
 */
import type { FastifyInstance } from 'fastify';
import { TwofoldError } from '../core/errors.ts';

/** Far above any request body's shape (the deepest is an import row inside a list), far below a stack's worth. */
export const MAX_JSON_DEPTH = 32;

/** The deepest nesting of arrays and objects in a JSON text, ignoring brackets inside strings. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++; // a backslash escapes the next character, a quote included
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) {
      inString = true;
    } else if (c === 0x5b || c === 0x7b) {
      depth++;
      if (depth > deepest) deepest = depth;
    } else if (c === 0x5d || c === 0x7d) {
      depth--;
    }
  }
  return deepest;
}

/** Replaces Fastify's JSON parser with the same parser (prototype poisoning refused) behind a depth check. */
export function boundJsonDepth(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = String(body);
    if (jsonDepth(text) > MAX_JSON_DEPTH) {
      done(new TwofoldError('validation_failed', 'The request is not valid.', {
        errors: [{ field: 'body', message: `must not nest arrays and objects more than ${MAX_JSON_DEPTH} levels deep` }],
      }), undefined);
      return;
    }
    parse(request, text, done);
  });
}

/**
 * RFC 9457 problem responses. The HTTP status is chosen here and only here; services speak in
 * error codes. Anything unexpected becomes a 500 without internals, and is logged.
 */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { TwofoldError, type ErrorCode } from '../core/errors.ts';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  uri_too_long: 414,
  headers_too_large: 431,
  request_timeout: 408,
  validation_failed: 400,
  payload_too_large: 413,
  unsupported_media_type: 415,
  not_found: 404,
  conflict: 409,
  email_taken: 409,
  import_failed: 422,
  unauthenticated: 401,
  forbidden: 403,
  origin_mismatch: 403,
  invalid_credentials: 401,
  password_locked: 429,
  password_change_required: 403,
  invalid_invitation: 400,
  invalid_password_reset: 400,
  reset_needs_setup_code: 403,
  password_too_weak: 422,
  password_reused: 422,
  master_account_holder_protected: 409,
  group_not_empty: 409,
  group_cycle: 409,
  group_name_taken: 409,
  setup_already_done: 409,
  invalid_setup_token: 403,
  transaction_failed: 410,
  transaction_expired: 410,
  transaction_completed: 409,
  transaction_state: 409,
  invalid_code: 400,
  factor_locked: 423,
  factor_not_offered: 400,
  method_not_allowed: 400,
  method_unavailable: 400,
  console_email_only: 403,
  last_factor: 409,
  primary_factor_required: 409,
  setup_out_of_order: 409,
  two_step_setup_required: 403,
  setup_code_required: 403,
  setup_proof_required: 403,
  reauthentication_required: 403,
  rate_limited: 429,
  delivery_failed: 502,
  invalid_pairing: 410,
  push_signature_invalid: 401,
  push_request_closed: 409,
  push_number_mismatch: 422,
  push_pending: 409,
  push_suspended: 429,
  push_locked: 403,
  busy: 503,
};

export const statusOf = (code: ErrorCode): number => STATUS[code];

export function sendProblem(reply: FastifyReply, error: TwofoldError): FastifyReply {
  const status = STATUS[error.code];
  const { retryAfterSeconds } = error.details;
  if (typeof retryAfterSeconds === 'number') reply.header('retry-after', String(Math.ceil(retryAfterSeconds)));
  return reply
    .code(status)
    .type('application/problem+json')
    .send({
      type: `urn:twofold:problem:${error.code}`,
      title: error.message,
      status,
      code: error.code,
      ...error.details,
    });
}

/** Enough to correct a form; a body with more mistakes than this is not a form. */
const MAX_LISTED_ERRORS = 20;

/** Maps framework errors (schema validation, body parsing, body size) onto stable codes. */
export function toTwofoldError(error: FastifyError): TwofoldError | null {
  if (error instanceof TwofoldError) return error;
  if (error.validation) {
    // A body as wide as the size limit allows could list an error per property: megabytes of answer.
    const errors = error.validation.slice(0, MAX_LISTED_ERRORS).map((v) => ({
      field: `${error.validationContext ?? 'body'}${v.instancePath || ''}`,
      message: v.message ?? 'is invalid',
      ...(v.params && 'additionalProperty' in v.params ? { property: v.params.additionalProperty } : {}),
    }));
    return new TwofoldError('validation_failed', 'The request is not valid.', { errors });
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new TwofoldError('payload_too_large', 'The request body is larger than 1 MiB.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new TwofoldError('unsupported_media_type', 'Send the request body as application/json.');
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return new TwofoldError('validation_failed', 'The request body is not valid JSON.');
  }
  if (error instanceof SyntaxError) return new TwofoldError('validation_failed', 'The request body is not valid JSON.');
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return new TwofoldError('validation_failed', error.message);
  }
  return null;
}

export function errorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const known = toTwofoldError(error);
  if (known) return sendProblem(reply, known);
  request.log.error({ err: error }, 'unexpected error');
  return reply.code(500).type('application/problem+json').send({
    type: 'urn:twofold:problem:internal_error',
    title: 'Something went wrong on our side.',
    status: 500,
    code: 'internal_error',
  });
}

/**
 * One error type for the whole product. Every failure a caller can meet carries a stable `code`
 * (tests and clients match codes, never message text); the HTTP edge alone maps codes to statuses.
 */
export type ErrorCode =
  // malformed or slow HTTP, refused before routing
  | 'bad_request'
  | 'uri_too_long'
  | 'headers_too_large'
  | 'request_timeout'
  // input and lookup
  | 'validation_failed'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'not_found'
  | 'conflict'
  | 'email_taken'
  | 'import_failed'
  | 'unsupported_language'
  // authentication and authorization
  | 'unauthenticated'
  | 'forbidden'
  | 'origin_mismatch'
  | 'invalid_credentials'
  | 'password_locked'
  | 'password_change_required'
  | 'invalid_invitation'
  | 'invalid_password_reset'
  | 'reset_needs_setup_code'
  // password policy
  | 'password_too_weak'
  | 'password_reused'
  // organization rules
  | 'master_account_holder_protected'
  | 'group_not_empty'
  | 'group_cycle'
  | 'group_name_taken'
  | 'setup_already_done'
  | 'invalid_setup_token'
  // two-step verification
  | 'transaction_failed'
  | 'transaction_expired'
  | 'transaction_completed'
  | 'transaction_state'
  | 'invalid_code'
  | 'factor_locked'
  | 'factor_not_offered'
  | 'method_not_allowed'
  | 'method_unavailable'
  | 'console_email_only'
  | 'last_factor'
  | 'primary_factor_required'
  | 'setup_out_of_order'
  | 'two_step_setup_required'
  | 'setup_code_required'
  | 'setup_proof_required'
  | 'reauthentication_required'
  | 'rate_limited'
  | 'delivery_failed'
  // authenticator app notification (push)
  | 'invalid_pairing'
  | 'push_signature_invalid'
  | 'push_request_closed'
  | 'push_number_mismatch'
  | 'push_pending'
  | 'push_suspended'
  | 'push_locked'
  // capacity
  | 'busy';

export interface ErrorDetails {
  /** Per-field or per-row details a client can show next to the input that caused them. */
  readonly errors?: ReadonlyArray<Record<string, unknown>>;
  /** Seconds until a rate-limited or locked action may be tried again. */
  readonly retryAfterSeconds?: number;
  readonly [key: string]: unknown;
}

export class TwofoldError extends Error {
  override readonly name = 'TwofoldError';
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details: ErrorDetails = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export const fail = (code: ErrorCode, message: string, details?: ErrorDetails): never => {
  throw new TwofoldError(code, message, details);
};

/**
 * What is wrong with one row of a bulk import (or its header, or the whole file): the `code` of each
 * entry of an `import_failed` problem's `errors`, beside its `row`, `field` and English `message`, so
 * a client says it in its member's language. The details a message needs travel with it (`maximum`,
 * `count`, `expected`, `found`, `otherRow`, `value`, `rule`).
 */
export type ImportRowErrorCode =
  // the file as a whole
  | 'file_empty'
  | 'too_many_rows'
  | 'csv_unreadable'
  | 'json_unreadable'
  | 'json_not_array'
  // the header and the shape of a row
  | 'unknown_column'
  | 'missing_column'
  | 'duplicate_column'
  | 'column_count'
  | 'not_an_object'
  | 'unknown_field'
  | 'not_text'
  // the values
  | 'name_required'
  | 'name_too_long'
  | 'email_required'
  | 'email_invalid'
  | 'email_taken'
  | 'email_repeated'
  | 'email_taken_meanwhile'
  | 'role_invalid'
  | 'role_forbidden'
  | 'group_required'
  | 'group_unknown'
  | 'group_ambiguous'
  | 'group_forbidden'
  | 'password_too_weak';

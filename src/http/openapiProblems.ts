/**
 * The errors half of the OpenAPI document: every operation lists the RFC 9457 problems it can answer
 * with, by status, all as `application/problem+json` of one shared `Problem` schema whose `code`
 * enumerates every error code with its meaning.
 *
 * The problems are added to the generated document only, never to the routes' response schemas: a
 * route's response schema is also its serializer (fast-json-stringify), and a problem's details vary
 * by code, so a schema would sooner or later drop or coerce a detail it did not foresee. Problems are
 * sent exactly as `sendProblem` builds them; the document describes them.
 *
 * What each route can answer comes from two places: what every route meets on the way in (a body,
 * parameters, the guard; read from the route's own options, so a new route is described without
 * anyone remembering to) and, from {@link ROUTE_PROBLEMS}, what its use case can refuse.
 */
import type { SwaggerTransformObject } from '@fastify/swagger';
import type { FastifyInstance, RouteOptions } from 'fastify';
import type { ErrorCode, ImportRowErrorCode } from '../core/errors.ts';
import { statusOf } from './problem.ts';

/** What every code means, as the document tells clients. A Record, so a new code cannot go undescribed. */
const ERROR_CODE_MEANINGS: Record<ErrorCode, string> = {
  bad_request: 'Any request, before routing: not well-formed HTTP (a bad request line, conflicting Content-Length and Transfer-Encoding, a bad chunk, an HTTP/1.1 request without Host). The connection is closed.',
  uri_too_long: 'Any request, before routing: the URL is longer than 8 KiB.',
  headers_too_large: 'Any request, before routing: the request line and headers exceed 16 KiB. The connection is closed.',
  request_timeout: 'Any request: its headers or its whole body did not arrive within the server\'s timeouts (TWOFOLD_HEADERS_TIMEOUT_SECONDS, TWOFOLD_REQUEST_TIMEOUT_SECONDS). The connection is closed.',
  validation_failed: 'The request does not match the schema or a rule of a field. `errors` lists each one: `field` (e.g. `body/email`), `message`, and `property` for a property that is not allowed.',
  payload_too_large: 'The request body is larger than 1 MiB.',
  unsupported_media_type: 'The request body is not `application/json`.',
  not_found: 'No such resource, or one the caller may not see (both answer alike, so ids cannot be probed). `field` names the input holding the id when it is not the path.',
  conflict: 'The request conflicts with the current state; the title says how.',
  email_taken: 'Another member already uses this email.',
  import_failed: 'The import file has bad rows and nothing was imported. `errors` lists `{ row, field, code, message }`, `code` one of the import row codes (`errors[].code`), with the details its message needs.',
  unsupported_language: 'The language is not one Twofold speaks: `en`, `fr`, `it`, `de`, `es`, `pt` or `nl` (`field` names the input).',
  unauthenticated: 'No valid session: it is missing, has ended, or the Authorization header is not `Bearer <token>`. Sign in again.',
  forbidden: 'The caller\'s role may not do this.',
  origin_mismatch: 'A state-changing request came with another site\'s Origin, or with cookies but without this site\'s Origin (CSRF protection).',
  invalid_credentials: 'The email or password is not correct; an unknown email and a disabled member answer the same. On POST /api/v1/me/password and POST /api/v1/me/reauthentication: the password is not correct (`errors` names the field). In a transaction\'s last step: the member was disabled meanwhile.',
  password_locked: 'Too many wrong passwords for this email in the last 15 minutes: signing in, and giving the password again (POST /api/v1/me/password, /me/reauthentication, /me/two-step-setup), is refused, even with the right password, until `retryAfterSeconds` (also the Retry-After header). An unknown email locks after as many wrong passwords, so the answer tells no account apart. An administrator who may reset the member can unlock it earlier.',
  password_change_required: 'The member must change their password first (POST /api/v1/me/password); until then only that, GET /api/v1/me and sign-out are open.',
  invalid_invitation: 'The invitation link is unknown, used or expired.',
  invalid_password_reset: 'The password reset link is unknown, used, replaced by a newer one, or expired.',
  reset_needs_setup_code: 'Two-step verification has to be set up again first, and a password reset may do that only with a setup code from an administrator.',
  password_too_weak: 'The password does not meet the organization\'s policy. `rule` names the rule missed (`minimum_length`, `maximum_length`, `character_kinds`, ...); `minimumStrength` the policy\'s level where it applies.',
  password_reused: 'The new password must differ from the current one.',
  master_account_holder_protected: 'The Master Account Holder\'s account can be changed only by the holder, and never deleted, disabled or demoted.',
  group_not_empty: 'The group still has members or subgroups (`members`, `subgroups` say which).',
  group_cycle: 'A group cannot be moved below itself or one of its subgroups.',
  group_name_taken: 'Another technician group under the same parent already has this name (compared without case); `field` names the input.',
  setup_already_done: 'This deployment already has an organization.',
  invalid_setup_token: 'The first-run request lacks the one-time setup token the server printed at start, or it is not that token (or the server has none: then use `twofold init`).',
  transaction_failed: 'The sign-in or password-change transaction failed after 5 wrong codes. Sign in (or change the password) again.',
  transaction_expired: 'The transaction is more than 10 minutes old. Sign in (or change the password) again.',
  transaction_completed: 'The transaction is already complete.',
  transaction_state: 'This step is not possible in the transaction\'s current `state`; `allowedStates` lists the states it is possible in.',
  invalid_code: 'The code is not correct or has expired. In a transaction, `attemptsRemaining` says how many wrong codes are left before `transaction_failed`.',
  factor_locked: 'The factor is locked after too many wrong codes. `lockedUntil` and `retryAfterSeconds` say until when; `lockedUntil` is null when only an administrator\'s reset unlocks it. Another factor may still be used.',
  factor_not_offered: 'This factor cannot be used here: not one of the member\'s, of a method no longer allowed, or one this client cannot use.',
  method_not_allowed: 'The method is not allowed here (`allowedMethods` lists those that are), or in Global Settings the primary method is not among allowedMethods.',
  method_unavailable: 'The method is not available yet (`method`; push for now), or the factor does not receive codes (an authenticator app).',
  console_email_only: 'This Technician Console (7.50.3572 or earlier) cannot use email verification, and the member has no other method it can use. Update the console or use another method.',
  last_factor: 'The member must use two-step verification and this is their last method: add another before removing it.',
  primary_factor_required: 'Set up and confirm the organization\'s primary method (`primaryMethod`) before activating.',
  setup_out_of_order: 'A set-up step out of order: `next` must be set up and confirmed first (the transaction\'s `setup.required` lists the order). Refused before anything is bound or sent.',
  two_step_setup_required: 'The member must now use two-step verification and this session passed the password alone: set it up from here (POST /api/v1/me/two-step-setup with the password), or sign in again. Until then only that, GET /api/v1/me and sign-out are open.',
  setup_proof_required: 'The member\'s only methods were switched off by the organization: before binding a new one, the set-up needs a proof of possession (a code from a switched-off method through `verify`, or a recovery code), or Activate with an administrator\'s setup code. The transaction\'s `setup.proofRequired` says so beforehand.',
  setup_code_required: 'An administrator issued a one-time setup code for this member: Activate needs it (`setupCode`). The transaction\'s `setup.setupCodeRequired` says so beforehand. From a session, a member with no factor cannot add one while the code is pending: they sign in again and set up with it.',
  reauthentication_required: 'Verify with one of your methods first (POST /api/v1/me/reauthentication); it counts for 10 minutes.',
  rate_limited: 'Too many attempts or codes sent. Try again after `retryAfterSeconds` (also the Retry-After header).',
  delivery_failed: 'The text message or email could not be sent. Try again or use another method.',
  invalid_pairing: 'The pairing link is unknown, already used, or older than ten minutes. Start pairing again (docs/push-protocol.md).',
  push_signature_invalid: 'The device signature (the `Twofold-Device` header, or a decision\'s `signature`) does not verify with the key of the request\'s device, or is stale.',
  push_request_closed: 'The push request was already answered, expired or ended: `state` says which. A replayed answer meets this.',
  push_number_mismatch: 'The number typed is not the one the sign-in screen shows. The request ended and counts as a failed attempt: start a new one.',
  push_pending: 'The member already has a pending push request (one at a time): answer it or wait for it to expire (`retryAfterSeconds`).',
  push_suspended: 'Too many push requests were denied or not answered: push is paused for the member until `retryAfterSeconds`. Other methods still work.',
  push_locked: 'The member reported a push request: push stays locked until an administrator clears it (POST /api/v1/members/{id}/unlock with `push`). Other methods still work.',
  busy: 'The server is at its capacity for password hashing. Try again after `retryAfterSeconds` (also the Retry-After header).',
};

/** What each import row code means (`errors[].code` of `import_failed`). A Record, so a new code cannot go undescribed. */
export const IMPORT_ROW_ERROR_MEANINGS: Record<ImportRowErrorCode, string> = {
  file_empty: 'The file holds no members (`row` null).',
  too_many_rows: 'The file holds more members than an import takes: `maximum` (500), `count` the file\'s; `row` is the first one too many.',
  csv_unreadable: 'The CSV cannot be parsed (an unclosed quote, ...); `row` is the line where reading stopped, when known.',
  json_unreadable: 'The JSON cannot be parsed (`row` null).',
  json_not_array: 'The JSON is not an array of members (`row` null).',
  unknown_column: 'The CSV header names a column that is not one of name, email, role, technicianGroup, password: `value` (and `field`) is its name.',
  missing_column: 'The CSV header lacks a required column: `field` (name or email).',
  duplicate_column: 'A column appears twice in the CSV header.',
  column_count: 'A CSV row has `found` fields where the header has `expected`.',
  not_an_object: 'A JSON member is not an object.',
  unknown_field: 'A JSON member has a key that is not one of name, email, role, technicianGroup, password: `value` (and `field`) is the key.',
  not_text: 'A JSON value is not a string (`field`).',
  name_required: 'The name is missing.',
  name_too_long: 'The name is longer than `maximum` characters.',
  email_required: 'The email is missing.',
  email_invalid: 'The email is not an email address.',
  email_taken: 'A member already uses this email.',
  email_repeated: 'The same email is on an earlier row of the file: `otherRow`.',
  email_taken_meanwhile: 'An email of the file was taken while the import ran (`row` null); import the file again.',
  role_invalid: 'The role is not master_administrator, administrator, or empty for a technician.',
  role_forbidden: 'The importer may not create members with this role: `value`.',
  group_required: 'A technician (no role) needs a technician group.',
  group_unknown: 'No technician group the importer may see has this id or path: `value`.',
  group_ambiguous: 'More than one group has this path (`value`, an older name holding "/"): use the group\'s id.',
  group_forbidden: 'The importer may not add technicians to this group.',
  password_too_weak: 'The password does not meet the organization\'s policy: `rule` names the rule it missed.',
};
const IMPORT_ROW_CODES = Object.keys(IMPORT_ROW_ERROR_MEANINGS) as ImportRowErrorCode[];

/** Problems answered outside the ErrorCode type: by the error handler and the readiness probe. */
const OTHER_PROBLEMS = {
  internal_error: { status: 500, meaning: 'Something unexpected went wrong; the details are logged, never returned.' },
  not_ready: { status: 503, meaning: 'The database does not answer, or the server is stopping (GET /readyz only).' },
} as const;

export type ProblemCode = ErrorCode | keyof typeof OTHER_PROBLEMS;

const meaningOf = (code: ProblemCode): string =>
  code in OTHER_PROBLEMS ? OTHER_PROBLEMS[code as keyof typeof OTHER_PROBLEMS].meaning : ERROR_CODE_MEANINGS[code as ErrorCode];
const problemStatus = (code: ProblemCode): number =>
  code in OTHER_PROBLEMS ? OTHER_PROBLEMS[code as keyof typeof OTHER_PROBLEMS].status : statusOf(code as ErrorCode);

/** Every code a problem can carry, in the order of src/core/errors.ts. */
export const PROBLEM_CODES: readonly ProblemCode[] = [
  ...Object.keys(ERROR_CODE_MEANINGS) as ErrorCode[],
  ...Object.keys(OTHER_PROBLEMS) as Array<keyof typeof OTHER_PROBLEMS>,
];

const METHOD_ID = { type: 'string', enum: ['push', 'totp', 'sms', 'email'] };

/**
 * `components.schemas.Problem`. Open to further properties: a code may carry details of its own,
 * and clients must ignore the ones they do not know.
 */
export const PROBLEM_SCHEMA = {
  type: 'object',
  description: 'An RFC 9457 problem (`application/problem+json`). Match on `code`, never on `title`. Details appear only with the codes that carry them.',
  required: ['type', 'title', 'status', 'code'],
  properties: {
    type: { type: 'string', description: '`urn:twofold:problem:<code>`.', examples: ['urn:twofold:problem:invalid_code'] },
    title: { type: 'string', description: 'A human-readable explanation for this occurrence; it may change, and is not for matching.' },
    status: { type: 'integer', description: 'The HTTP status code.' },
    code: {
      type: 'string',
      enum: PROBLEM_CODES,
      description: `The stable error code.\n\n${PROBLEM_CODES.map((code) => `- \`${code}\` (${problemStatus(code)}): ${meaningOf(code)}`).join('\n')}`,
      'x-enumDescriptions': Object.fromEntries(PROBLEM_CODES.map((code) => [code, meaningOf(code)])),
    },
    errors: {
      type: 'array',
      description: 'With `validation_failed`, `import_failed` and some `invalid_credentials` and `password_too_weak`: one entry per field or row.',
      items: {
        type: 'object',
        properties: {
          field: { type: ['string', 'null'], description: 'Where: `body/<name>`, `querystring/<name>`, `params/<name>`, or a column of an import row.' },
          message: { type: 'string' },
          property: { type: 'string', description: 'The property that is not allowed, when that is the error.' },
          row: { type: ['integer', 'null'], description: 'The import row (import_failed).' },
          code: {
            type: 'string',
            enum: IMPORT_ROW_CODES,
            description: `With \`import_failed\`: what is wrong with the row, to show in the member's language.\n\n${IMPORT_ROW_CODES.map((code) => `- \`${code}\`: ${IMPORT_ROW_ERROR_MEANINGS[code]}`).join('\n')}`,
            'x-enumDescriptions': IMPORT_ROW_ERROR_MEANINGS,
          },
          maximum: { type: 'integer', description: 'With the import row codes `too_many_rows` and `name_too_long`: the most allowed.' },
          count: { type: 'integer', description: 'With `too_many_rows`: the members the file holds.' },
          expected: { type: 'integer', description: 'With `column_count`: the fields in the header.' },
          found: { type: 'integer', description: 'With `column_count`: the fields in the row.' },
          otherRow: { type: 'integer', description: 'With `email_repeated`: the earlier row with the same email.' },
          value: { type: 'string', description: 'With `unknown_column`, `unknown_field`, `group_unknown`, `group_ambiguous`, `role_forbidden`: the text at fault.' },
          rule: { type: 'string', description: 'With the import row code `password_too_weak`: the rule the password missed.' },
        },
        additionalProperties: true,
      },
    },
    retryAfterSeconds: { type: 'integer', minimum: 0, description: 'With `rate_limited`, `password_locked`, `busy`, `push_suspended`, `push_pending` and a time-locked `factor_locked`: seconds until trying again may succeed; also sent as Retry-After.' },
    attemptsRemaining: { type: 'integer', minimum: 0, description: 'With `invalid_code` in a transaction: wrong codes left before `transaction_failed`.' },
    lockedUntil: { type: ['string', 'null'], format: 'date-time', description: 'With `factor_locked`: when the factor unlocks; null until an administrator resets it.' },
    state: { type: 'string', description: 'With `transaction_state`, `transaction_failed` and `transaction_expired`: the transaction\'s current state.' },
    allowedStates: { type: 'array', items: { type: 'string' }, description: 'With `transaction_state`: the states the step is possible in.' },
    allowedMethods: { type: 'array', items: METHOD_ID, description: 'With `method_not_allowed`: the methods that may be set up here.' },
    method: { ...METHOD_ID, description: 'With `method_unavailable`: the method that cannot be chosen.' },
    primaryMethod: { ...METHOD_ID, description: 'With `primary_factor_required`: the method to set up first.' },
    next: { ...METHOD_ID, description: 'With `setup_out_of_order`: the method to set up and confirm first.' },
    required: { type: 'array', items: METHOD_ID, description: 'With `setup_out_of_order`: the methods to set up and confirm, in order, before any other.' },
    rule: { type: 'string', description: 'With `password_too_weak`: the rule the password missed.' },
    minimumStrength: { type: 'string', description: 'With `password_too_weak`: the policy\'s minimum strength.' },
    field: { type: 'string', description: 'The input the problem is about, when it is one field (e.g. `memberId`, `parentId`).' },
    memberId: { type: 'string', description: 'With a refused two-step verification reset: the member it was refused for.' },
    members: { type: 'boolean', description: 'With `group_not_empty`: the group still has members.' },
    subgroups: { type: 'boolean', description: 'With `group_not_empty`: the group still has subgroups.' },
  },
  additionalProperties: true,
} as const;

/** Where a closed or misused transaction is refused: every step after the password. */
const TRANSACTION_CLOSED: readonly ErrorCode[] = ['not_found', 'transaction_failed', 'transaction_expired', 'transaction_completed', 'transaction_state'];

/**
 * What each route's use case can refuse, by `METHOD url` as the route is registered. The problems of
 * the way in (validation, body size and type, Origin, session, password change) are added from the
 * route's options and are not repeated here.
 */
export const ROUTE_PROBLEMS: Readonly<Record<string, readonly ProblemCode[]>> = {
  'GET /readyz': ['not_ready'],
  'POST /api/v1/setup': ['invalid_setup_token', 'password_too_weak', 'email_taken', 'setup_already_done', 'busy'],

  'POST /api/v1/sign-in': ['invalid_credentials', 'password_locked', 'console_email_only', 'rate_limited', 'busy'],
  // A failed or expired transaction answers its reads with its problem too.
  'GET /api/v1/transactions/:id': ['not_found', 'transaction_failed', 'transaction_expired'],
  'POST /api/v1/transactions/:id/challenges': [...TRANSACTION_CLOSED, 'factor_not_offered', 'rate_limited', 'delivery_failed', 'method_unavailable', 'push_pending', 'push_suspended', 'push_locked'],
  'GET /api/v1/transactions/:id/push-request': TRANSACTION_CLOSED,
  'POST /api/v1/authenticator/pairings': ['invalid_pairing'],
  'GET /api/v1/authenticator/requests': ['push_signature_invalid'],
  'GET /api/v1/authenticator/stream': ['push_signature_invalid'],
  'POST /api/v1/authenticator/requests/:requestId/decision': ['not_found', 'push_signature_invalid', 'push_request_closed', 'push_number_mismatch'],
  'POST /api/v1/transactions/:id/verify': [...TRANSACTION_CLOSED, 'factor_not_offered', 'invalid_code', 'factor_locked', 'invalid_credentials', 'unauthenticated', 'invalid_invitation', 'invalid_password_reset'],
  'POST /api/v1/transactions/:id/recovery': [...TRANSACTION_CLOSED, 'invalid_code', 'rate_limited', 'invalid_credentials', 'unauthenticated', 'invalid_invitation', 'invalid_password_reset'],
  'POST /api/v1/transactions/:id/factors': [...TRANSACTION_CLOSED, 'setup_proof_required', 'method_not_allowed', 'setup_out_of_order', 'conflict', 'rate_limited', 'delivery_failed'],
  'POST /api/v1/transactions/:id/factors/:factorId/confirm': [...TRANSACTION_CLOSED, 'invalid_code', 'factor_locked'],
  'POST /api/v1/transactions/:id/activate': [...TRANSACTION_CLOSED, 'primary_factor_required', 'setup_code_required', 'setup_proof_required', 'invalid_code', 'invalid_credentials', 'unauthenticated', 'invalid_invitation', 'invalid_password_reset'],
  'POST /api/v1/members/:id/setup-code': ['not_found', 'forbidden'],
  'POST /api/v1/members/:id/unlock': ['not_found', 'forbidden'],
  'POST /api/v1/me/password': ['invalid_credentials', 'password_locked', 'password_too_weak', 'password_reused', 'console_email_only', 'busy'],

  'GET /api/v1/settings/two-step-verification': ['forbidden'],
  'PUT /api/v1/settings/two-step-verification': ['forbidden', 'method_unavailable', 'method_not_allowed'],
  'POST /api/v1/settings/two-step-verification/preview': ['forbidden', 'method_unavailable', 'method_not_allowed'],
  'POST /api/v1/two-step-verification/resets': ['forbidden', 'not_found'],
  'GET /api/v1/reports/two-step-verification': ['forbidden'],

  'POST /api/v1/me/reauthentication/challenges': ['not_found', 'method_unavailable', 'rate_limited', 'delivery_failed', 'push_pending', 'push_suspended', 'push_locked'],
  'POST /api/v1/me/two-step-setup': ['conflict', 'invalid_credentials', 'password_locked', 'console_email_only', 'busy'],
  'POST /api/v1/me/reauthentication': ['not_found', 'invalid_code', 'factor_locked', 'rate_limited', 'password_locked', 'invalid_credentials', 'method_not_allowed', 'busy'],
  'POST /api/v1/me/factors': ['reauthentication_required', 'setup_code_required', 'method_not_allowed', 'not_found', 'rate_limited', 'delivery_failed'],
  'POST /api/v1/me/factors/:id/confirm': ['reauthentication_required', 'setup_code_required', 'not_found', 'invalid_code', 'factor_locked', 'rate_limited'],
  'DELETE /api/v1/me/factors/:id': ['reauthentication_required', 'not_found', 'last_factor'],
  'POST /api/v1/me/recovery-codes': ['reauthentication_required', 'conflict'],
  'PUT /api/v1/me/language': ['unsupported_language'],

  'POST /api/v1/organization/master-account-holder': ['forbidden', 'not_found', 'conflict'],
  'GET /api/v1/organization/settings': ['forbidden'],
  'PATCH /api/v1/organization/settings': ['forbidden'],
  'GET /api/v1/settings/password-policy': ['forbidden'],
  'PUT /api/v1/settings/password-policy': ['forbidden'],
  'GET /api/v1/audit-events': ['forbidden'],

  'POST /api/v1/technician-groups': ['forbidden', 'not_found', 'group_name_taken'],
  'GET /api/v1/technician-groups': ['forbidden'],
  'GET /api/v1/technician-groups/:id': ['not_found'],
  'PATCH /api/v1/technician-groups/:id': ['forbidden', 'not_found', 'group_cycle', 'group_name_taken'],
  'DELETE /api/v1/technician-groups/:id': ['forbidden', 'not_found', 'group_not_empty'],
  'POST /api/v1/administrator-groups': ['forbidden', 'not_found'],
  'GET /api/v1/administrator-groups': ['forbidden'],
  'GET /api/v1/administrator-groups/:id': ['forbidden', 'not_found'],
  'PATCH /api/v1/administrator-groups/:id': ['forbidden', 'not_found', 'group_cycle'],
  'DELETE /api/v1/administrator-groups/:id': ['forbidden', 'not_found', 'group_not_empty'],

  'POST /api/v1/members': ['forbidden', 'not_found', 'email_taken', 'password_too_weak', 'busy'],
  'GET /api/v1/members': ['not_found'],
  'GET /api/v1/members/:id': ['not_found'],
  'PATCH /api/v1/members/:id': ['forbidden', 'master_account_holder_protected', 'not_found', 'email_taken', 'password_too_weak', 'busy'],
  'DELETE /api/v1/members/:id': ['forbidden', 'master_account_holder_protected', 'not_found'],
  'POST /api/v1/members/import': ['forbidden', 'import_failed', 'busy'],
  'POST /api/v1/members/import/dry-run': ['forbidden', 'import_failed'],
  'GET /api/v1/invitations': ['forbidden'],
  'POST /api/v1/members/:id/invitation': ['forbidden', 'not_found', 'conflict', 'busy'],
  'DELETE /api/v1/members/:id/invitation': ['forbidden', 'not_found', 'conflict', 'busy'],
  'GET /api/v1/invitations/:token': ['invalid_invitation'],
  'POST /api/v1/password-resets': ['rate_limited'],
  'GET /api/v1/password-resets/:token': ['invalid_password_reset'],
  'POST /api/v1/password-resets/:token': ['invalid_password_reset', 'password_too_weak', 'reset_needs_setup_code', 'console_email_only', 'invalid_credentials', 'busy'],
  'POST /api/v1/invitations/:token/accept': ['invalid_invitation', 'password_too_weak', 'console_email_only', 'busy'],
};

/** What the way in to a route can refuse, whatever the route does. */
interface RouteFacts {
  readonly method: string;
  readonly url: string;
  readonly public: boolean;
  readonly duringPasswordChange: boolean;
  readonly duringTwoStepSetup: boolean;
  /** Declares a body, path parameters or a query string, each validated against its schema. */
  readonly hasInput: boolean;
}

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);
const BODY_PROBLEMS: readonly ErrorCode[] = ['validation_failed', 'payload_too_large', 'unsupported_media_type'];
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The problems a route can answer with: the way in (see guard.ts and problem.ts), then its own. */
export function problemsOf(route: RouteFacts): ProblemCode[] {
  const codes = new Set<ProblemCode>();
  // A body is parsed (and can be malformed, too large or of another type) whether or not it is declared.
  if (BODY_METHODS.has(route.method)) for (const code of BODY_PROBLEMS) codes.add(code);
  if (route.hasInput) codes.add('validation_failed');
  if (!SAFE_METHODS.has(route.method)) codes.add('origin_mismatch');
  if (!route.public) {
    codes.add('unauthenticated');
    if (!route.duringPasswordChange) codes.add('password_change_required');
    if (!route.duringTwoStepSetup) codes.add('two_step_setup_required');
  }
  for (const code of ROUTE_PROBLEMS[`${route.method} ${route.url}`] ?? []) codes.add(code);
  codes.add('internal_error');
  return [...codes];
}

const RETRY_AFTER = {
  'Retry-After': { description: 'Seconds to wait before trying again, when the problem has `retryAfterSeconds`.', schema: { type: 'integer', minimum: 0 } },
};
/** Codes whose answer can carry Retry-After (sendProblem sets it from `retryAfterSeconds`). */
const RETRIES = new Set<ProblemCode>(['rate_limited', 'password_locked', 'busy', 'factor_locked', 'push_suspended', 'push_pending']);

/** The OpenAPI responses for these codes: one per status, each listing its codes and referencing Problem. */
export function problemResponses(codes: readonly ProblemCode[]): Record<string, unknown> {
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of codes) byStatus.set(problemStatus(code), [...byStatus.get(problemStatus(code)) ?? [], code]);
  const responses: Record<string, unknown> = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: list.map((code) => `\`${code}\`: ${meaningOf(code)}`).join('\n\n'),
      ...(list.some((code) => RETRIES.has(code)) ? { headers: RETRY_AFTER } : {}),
      content: {
        'application/problem+json': {
          schema: { $ref: '#/components/schemas/Problem' },
          // One example per code: the codes this route can answer with at this status, by name.
          examples: Object.fromEntries(list.map((code) => [code, {
            summary: meaningOf(code).split('. ')[0],
            value: { type: `urn:twofold:problem:${code}`, title: meaningOf(code).split('. ')[0], status, code },
          }])),
        },
      },
    };
  }
  return responses;
}

interface OpenApiDocument {
  paths?: Record<string, Record<string, { responses?: Record<string, unknown> }>>;
  components?: { schemas?: Record<string, unknown> };
}

/**
 * Collects the facts of every route as it is declared, and returns the `transformObject` that adds
 * the Problem schema and each operation's problems to the document @fastify/swagger generates.
 * Call it before the routes are declared.
 */
export function documentProblems(app: FastifyInstance): { transformObject: SwaggerTransformObject } {
  const routes = new Map<string, RouteFacts>();
  app.addHook('onRoute', (route: RouteOptions) => {
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      // The document's path: `:id` becomes `{id}`, as @fastify/swagger writes it.
      const path = route.url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      routes.set(`${method.toLowerCase()} ${path}`, {
        method, url: route.url,
        public: route.config?.public === true,
        duringPasswordChange: route.config?.duringPasswordChange === true,
        duringTwoStepSetup: route.config?.duringTwoStepSetup === true,
        hasInput: route.schema?.body !== undefined || route.schema?.params !== undefined || route.schema?.querystring !== undefined,
      });
    }
  });

  return {
    transformObject(input) {
      if (!('openapiObject' in input)) return input.swaggerObject;
      const document = input.openapiObject as OpenApiDocument;
      document.components = { ...document.components, schemas: { ...document.components?.schemas, Problem: PROBLEM_SCHEMA } };
      for (const [path, operations] of Object.entries(document.paths ?? {})) {
        for (const [method, operation] of Object.entries(operations)) {
          const facts = routes.get(`${method} ${path}`);
          if (!facts) continue;
          // A status the route documents itself (none do today) keeps its own description.
          operation.responses = { ...problemResponses(problemsOf(facts)), ...operation.responses };
        }
      }
      return input.openapiObject;
    },
  };
}

/**
 * Shared JSON schemas (TypeBox). Routes validate with them and the OpenAPI document is generated from
 * them, so the documentation cannot drift from what the server accepts.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { EMAIL_FIELD } from '../core/emailAddress.ts';
import { METHOD_IDS } from '../core/methodCatalogue.ts';

export const NAME_MAX = 200;

export const Name = Type.String({ minLength: 1, maxLength: NAME_MAX, pattern: '\\S' });
export const Email = Type.String(EMAIL_FIELD);
/** Passwords are checked against the policy by the service; the schema only bounds the size. */
export const Password = Type.String({ minLength: 1, maxLength: 1024 });
export const Id = Type.String({ minLength: 1, maxLength: 100 });
export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });
export type IdParams = Static<typeof IdParams>;
/** The token of an emailed link (invitation, password reset): a capability, unpadded base64url. */
export const LinkTokenParams = Type.Object({ token: Type.String({ minLength: 20, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' }) }, { additionalProperties: false });
export type LinkTokenParams = Static<typeof LinkTokenParams>;
export const Code = Type.String({ minLength: 1, maxLength: 20 });
/** Every method id of the catalogue: the API's enum of methods is derived from it, never listed here. */
export const MethodId = Type.Union(METHOD_IDS.map((id) => Type.Literal(id)));
export const Timestamp = Type.String({ format: 'date-time' });
/** A password policy's minimum strength, as a new password's form measures against it. */
export const MinimumStrength = Type.Union([Type.Literal('good'), Type.Literal('strong'), Type.Literal('excellent')]);

/** Pagination: an opaque cursor from the previous page's `nextCursor`. */
export const PageQuery = Type.Object({
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', description: '1 to 200, default 50' })),
}, { additionalProperties: false });

export const page = <T extends TSchema>(item: T) => Type.Object({
  items: Type.Array(item),
  nextCursor: Type.Union([Type.String(), Type.Null()]),
});

export const strictObject = <P extends Parameters<typeof Type.Object>[0]>(properties: P) =>
  Type.Object(properties, { additionalProperties: false });

/**
 * A member's two-step verification as the member and their administrators see it (services/twoStep/status.ts):
 * `GET /api/v1/me/factors`, and `twoStepVerification` on a member's record.
 */
export const TwoStepStatus = Type.Object({
  required: Type.Boolean({ description: 'Whether Global Settings require this member to use two-step verification.' }),
  setUp: Type.Boolean({ description: 'The member has at least one active method the organization allows.' }),
  mustSetUpAgain: Type.Boolean({ description: 'Required, and every method the member set up was switched off by the organization: the next sign-in sets an allowed one up, after a proof.' }),
  factors: Type.Array(Type.Object({
    id: Type.String(), type: MethodId, label: Type.String(), locked: Type.Boolean(),
    lockedUntil: Type.Union([Timestamp, Type.Null()], { description: 'Null when not locked, or locked until an administrator\'s reset.' }),
    createdAt: Timestamp,
    methodAllowed: Type.Boolean({ description: 'False when the organization has switched this method off since: kept, but not usable to verify.' }),
  })),
  locked: Type.Boolean({ description: 'Some method is locked after too many wrong codes.' }),
});

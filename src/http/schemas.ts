/**
 * Shared JSON schemas (TypeBox). Routes validate with them and the OpenAPI document is generated from
 * them, so the documentation cannot drift from what the server accepts.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

export const NAME_MAX = 200;
export const EMAIL_MAX = 254;

export const Name = Type.String({ minLength: 1, maxLength: NAME_MAX, pattern: '\\S' });
export const Email = Type.String({ minLength: 3, maxLength: EMAIL_MAX, pattern: '^[^\\s@]+@[^\\s@]+$' });
/** Passwords are checked against the policy by the service; the schema only bounds the size. */
export const Password = Type.String({ minLength: 1, maxLength: 1024 });
export const Id = Type.String({ minLength: 1, maxLength: 100 });
export const IdParams = Type.Object({ id: Id }, { additionalProperties: false });
export type IdParams = Static<typeof IdParams>;
export const Code = Type.String({ minLength: 1, maxLength: 20 });
export const MethodId = Type.Union([Type.Literal('push'), Type.Literal('totp'), Type.Literal('sms'), Type.Literal('email')]);
export const Timestamp = Type.String({ format: 'date-time' });

export const Problem = Type.Object({
  type: Type.String(),
  title: Type.String(),
  status: Type.Integer(),
  code: Type.String({ description: 'Stable error code; match on this, not on the title.' }),
}, { additionalProperties: true, $id: 'Problem' });

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

/** The sign-in transaction as the API contract shapes it. */
import { Type } from '@sinclair/typebox';
import { MethodId, Timestamp } from '../schemas.ts';

export const FactorSchema = Type.Object({
  id: Type.String(),
  type: MethodId,
  label: Type.String(),
  locked: Type.Boolean(),
  confirmed: Type.Optional(Type.Boolean()),
});

export const TransactionSchema = Type.Object({
  id: Type.String({ description: 'An unguessable capability: whoever holds it continues this sign-in.' }),
  purpose: Type.Union([Type.Literal('sign_in'), Type.Literal('password_change')]),
  state: Type.Union([Type.Literal('verify'), Type.Literal('setup'), Type.Literal('complete'), Type.Literal('failed'), Type.Literal('expired')]),
  client: Type.Object({ kind: Type.String(), version: Type.Optional(Type.String()) }),
  factors: Type.Array(FactorSchema),
  defaultFactorId: Type.Union([Type.String(), Type.Null()]),
  setup: Type.Optional(Type.Object({
    primaryMethod: Type.Union([MethodId, Type.Null()]),
    allowedMethods: Type.Array(MethodId),
    confirmed: Type.Boolean(),
    setupCodeRequired: Type.Boolean({ description: 'An administrator issued a one-time setup code for this member: send it with Activate.' }),
    required: Type.Array(MethodId, { description: 'Set up and confirm these, in this order, before any other method and before Activate.' }),
    optional: Type.Array(MethodId, { description: 'Methods that may be added once every required one is confirmed.' }),
    next: Type.Union([MethodId, Type.Null()], { description: 'The required method to set up next; null once all are confirmed (Activate, or add optional ones).' }),
    proofRequired: Type.Boolean({
      description: 'The member\'s methods were switched off by the organization: before adding a factor, verify with one of `proofFactors` (challenges, verify) or a recovery code. The proof completes nothing by itself.',
    }),
    proofFactors: Type.Array(FactorSchema, { description: 'While `proofRequired`: the member\'s switched-off factors, usable for this proof only.' }),
  })),
  expiresAt: Timestamp,
  session: Type.Optional(Type.Object({
    token: Type.Optional(Type.String({ description: 'Technician Console only; the website gets an HttpOnly cookie.' })),
    expiresAt: Timestamp,
  })),
  recoveryAvailable: Type.Optional(Type.Boolean({
    description: 'In `verify`, or in `setup` while `proofRequired`: the member has unused recovery codes, usable with POST /transactions/{id}/recovery.',
  })),
  recoveryCodes: Type.Optional(Type.Array(Type.String(), {
    description: 'Only in the answer to Activate: the member\'s new recovery codes, shown this once. Each works once.',
  })),
}, { $id: 'Transaction' });

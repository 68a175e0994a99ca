/** The API shapes of the authenticator app notification (docs/push-protocol.md), shared by its routes. */
import { Type } from '@sinclair/typebox';
import { Timestamp } from '../schemas.ts';
import { PUSH_ACTIONS } from '../../services/push/pushViews.ts';

/** What a set-up answers for a new push factor: the link (and QR code) a device pairs with. */
export const PairingFields = {
  pairingLink: Type.Optional(Type.String({ description: 'Push: `<origin>/authenticator#pair=<token>`, single use, ten minutes.' })),
  pairingExpiresAt: Type.Optional(Timestamp),
};

/** A push request just sent, as the sign-in side shows it. */
export const PushRequestSent = Type.Object({
  id: Type.String(),
  number: Type.String({ description: 'The number the sign-in screen shows and the member types into the authenticator.' }),
  expiresAt: Timestamp,
});

export const PushRequestStatus = Type.Object({
  id: Type.String(),
  factorId: Type.String(),
  purpose: Type.Union([Type.Literal('sign_in'), Type.Literal('password_change'), Type.Literal('pairing')]),
  number: Type.String(),
  state: Type.Union(['pending', 'approved', 'denied', 'expired', 'wrong_number', 'reported'].map((s) => Type.Literal(s))),
  expiresAt: Timestamp,
});

/** The sign-in side's wait: the latest request of the transaction or set-up, or null. */
export const PushWaitAnswer = Type.Object({ pushRequest: Type.Union([PushRequestStatus, Type.Null()]) });

export const PushWaitQuery = Type.Object({
  seen: Type.Optional(Type.String({ maxLength: 80, description: '`<requestId>:<state>` of the last answer: answer only once it changed.' })),
  waitSeconds: Type.Optional(Type.String({ pattern: '^([0-9]|[12][0-9]|30)$', description: '0 to 30, default 25: how long to wait for a change.' })),
}, { additionalProperties: false });

/** A request as the authenticator shows it: context, never the number. */
export const PushRequestContext = Type.Object({
  id: Type.String(),
  purpose: Type.String({ description: '`sign_in`, `password_change` or `pairing`; verifying again on the account is `sign_in` here, and a forgotten password\'s reset `password_change`: `action` tells them apart.' }),
  action: Type.Union(PUSH_ACTIONS.map((a) => Type.Literal(a)), {
    description: 'What approving does, to name the request by: a sign-in, a password change, `password_reset` (a forgotten password reset with the emailed link), `confirm_identity` (the member verifying again on their account before changing their methods or recovery codes), or pairing this device. Later versions may add values: show an unknown one as a plain request.',
  }),
  deviceId: Type.String(),
  organizationName: Type.String(),
  memberName: Type.String(),
  memberEmail: Type.String(),
  client: Type.Object({ kind: Type.String(), version: Type.Union([Type.String(), Type.Null()]) }),
  ip: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp,
  expiresAt: Timestamp,
  numberDigits: Type.Integer(),
});

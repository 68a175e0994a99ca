/**
 * `/api/v1/password-resets`: a member who forgot their password asks for a link by email and chooses
 * a new password with it; with two-step verification the change completes only after a second factor.
 * Public routes: the token from the email is the capability (and is masked in logs, see http/redact.ts).
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../../services/context.ts';
import { completePasswordReset, describePasswordReset, requestPasswordReset } from '../../services/password/passwordReset.ts';
import { Email, LinkTokenParams, Password, Timestamp, strictObject, MinimumStrength } from '../schemas.ts';
import { Client, sendTransaction } from './signIn.ts';
import { TransactionSchema } from './transactionSchema.ts';

const RequestBody = strictObject({ email: Email });
const CompleteBody = strictObject({ newPassword: Password, client: Type.Optional(Client) });
const tags = ['Password reset'];

export async function passwordResetRoutes(app: FastifyInstance, ctx: Context): Promise<void> {
  app.post<{ Body: Static<typeof RequestBody> }>('/api/v1/password-resets', {
    config: { public: true },
    schema: {
      tags, summary: 'Forgot your password: email a link to choose a new one (the answer is the same for any email)', body: RequestBody, security: [],
      description: 'Always 202, whether or not the email is a member\'s: a member who signs in with a password receives a link that works '
        + 'once, for an hour (a new request replaces it; at most three emails an hour).',
      response: { 202: Type.Null() },
    },
  }, async (request, reply) => {
    await requestPasswordReset(ctx, { email: request.body.email, ip: request.ip });
    return reply.code(202).send();
  });

  app.get<{ Params: LinkTokenParams }>('/api/v1/password-resets/:token', {
    config: { public: true },
    schema: {
      tags, summary: 'Whose password an open reset link is for, and the password rule to meet', params: LinkTokenParams, security: [],
      response: {
        200: Type.Object({
          email: Type.String(), organizationName: Type.String(), expiresAt: Timestamp, minimumStrength: MinimumStrength,
          twoStepVerificationRequired: Type.Boolean({ description: 'The new password takes effect only after a second factor (set up first if the member has none).' }),
        }),
      },
    },
  }, async (request) => describePasswordReset(ctx, request.params.token));

  app.post<{ Params: LinkTokenParams; Body: Static<typeof CompleteBody> }>('/api/v1/password-resets/:token', {
    config: { public: true },
    schema: {
      tags, summary: 'Choose a new password with a reset link', params: LinkTokenParams, body: CompleteBody, security: [],
      description: 'Sets the password, spends the link and ends every session of the member (204). A member who must use two-step '
        + 'verification gets a `password_change` transaction instead (202) that does all that once verified with a factor. A member '
        + 'with no factor to verify with is refused (403 `reset_needs_setup_code`) unless an administrator has issued a setup code: '
        + 'then the transaction sets a factor up and activates with that code.',
      response: { 202: TransactionSchema, 204: Type.Null() },
    },
  }, async (request, reply) => {
    const { view, binding } = await completePasswordReset(ctx, {
      token: request.params.token, newPassword: request.body.newPassword, client: request.body.client ?? { kind: 'website' }, ip: request.ip,
    });
    if (view.state === 'complete') return reply.code(204).send();
    return sendTransaction(request, reply, view, binding, 202);
  });
}

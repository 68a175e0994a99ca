/** `/api/v1/settings/password-policy`: Global Settings → password policy, for master administrators. */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../../services/context.ts';
import { getPasswordPolicy, updatePasswordPolicy } from '../../services/organizations/passwordPolicySettings.ts';
import { actorOf } from '../guard.ts';
import { strictObject } from '../schemas.ts';

const PasswordPolicy = strictObject({
  minimumStrength: Type.Union([Type.Literal('good'), Type.Literal('strong'), Type.Literal('excellent')], {
    description: 'Good: 3 kinds of characters with some repeats; Strong: 3 kinds without repeats or 4 with some; Excellent: 4 kinds without repeats. Always at least 8 characters.',
  }),
  maximumAgeDays: Type.Integer({ minimum: 0, maximum: 3650, description: '0: passwords never expire' }),
  expiryNoticeDays: Type.Integer({ minimum: 0, maximum: 365 }),
  adminChangeForcesChange: Type.Boolean({ description: 'A password set by an administrator must be changed at the next sign-in.' }),
});
const tags = ['Global Settings'];

/** Registers the routes of this resource; the global guard requires a session unless a route says `public`. */
export async function passwordPolicyRoutes(app: FastifyInstance, ctx: Context): Promise<void> {
  app.get('/api/v1/settings/password-policy', {
    schema: { tags, summary: 'The password policy', response: { 200: PasswordPolicy } },
  }, async (request) => getPasswordPolicy(ctx, actorOf(request)));

  app.put<{ Body: Static<typeof PasswordPolicy> }>('/api/v1/settings/password-policy', {
    schema: { tags, summary: 'Save the password policy', body: PasswordPolicy, response: { 200: PasswordPolicy } },
  }, async (request) => updatePasswordPolicy(ctx, actorOf(request), request.body));
}

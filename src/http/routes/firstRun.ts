/**
 * The first run: while the deployment has no organization, the website's first-run page
 * (`/first-run`, web/src/features/first-run) creates the first one and its Master Account Holder
 * through `POST /api/v1/setup`; creating further organizations is done with `twofold init`.
 *
 * Creating it takes the one-time setup token the server printed at start (see crypto/setupToken.ts):
 * the printed link carries it in the fragment (`/first-run#setup-token=...`), which browsers never
 * send, so it reaches no log; the page moves it into its form and out of the address bar.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../../services/context.ts';
import { createOrganization, hasAnyOrganization } from '../../services/organizations/createOrganization.ts';
import { TwofoldError } from '../../core/errors.ts';
import { isMemberLanguage, languageFromAcceptLanguage } from '../../core/languages.ts';
import { DEFAULT_PASSWORD_POLICY } from '../../core/model.ts';
import type { SetupToken } from '../../crypto/setupToken.ts';
import { Email, MinimumStrength, Name, Password, strictObject } from '../schemas.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The pending setup token, or null: then the first run happens only through `twofold init`. */
    setupToken: SetupToken | null;
  }
}

const SetupBody = strictObject({
  organizationName: Name, name: Name, email: Email, password: Password,
  // Optional in the schema so that a missing token is the same 403 as a wrong one.
  setupToken: Type.Optional(Type.String({ maxLength: 200, description: 'The one-time setup token the server printed at start.' })),
  language: Type.Optional(Type.String({ maxLength: 35, description: 'The Master Account Holder\'s language (`en`, `fr`, `it`, `de`, `es`, `pt`, `nl`); absent or another one: the first of the request\'s Accept-Language that Twofold speaks.' })),
});

const SetupStatus = Type.Object({
  required: Type.Boolean({ description: 'The deployment has no organization yet: the first run is still to be done.' }),
  minimumStrength: Type.Union(MinimumStrength.anyOf, { description: 'The password level the Master Account Holder\'s password must reach (the default policy).' }),
});

export async function firstRunRoutes(app: FastifyInstance, ctx: Context): Promise<void> {
  app.get('/api/v1/setup', {
    config: { public: true },
    schema: {
      tags: ['Operations'], summary: 'Whether the first run is still to be done, and the password policy it applies', security: [],
      response: { 200: SetupStatus },
    },
  }, async () => ({ required: !await hasAnyOrganization(ctx), minimumStrength: DEFAULT_PASSWORD_POLICY.minimumStrength }));

  app.post<{ Body: Static<typeof SetupBody> }>('/api/v1/setup', {
    config: { public: true },
    schema: {
      tags: ['Operations'], summary: 'First run: create the first organization and its Master Account Holder', security: [],
      body: SetupBody, response: { 201: Type.Object({ organizationId: Type.String(), memberId: Type.String() }) },
    },
  }, async (request, reply) => {
    const { setupToken, language, ...input } = request.body;
    const token = app.setupToken;
    if (!token?.matches(setupToken)) {
      if (await hasAnyOrganization(ctx)) throw new TwofoldError('setup_already_done', 'This deployment already has an organization.');
      throw new TwofoldError('invalid_setup_token', 'Open the set-up link the server printed when it started (or run `twofold init` on the server).');
    }
    const created = await createOrganization(ctx, {
      ...input, onlyIfFirst: true,
      language: isMemberLanguage(language) ? language : languageFromAcceptLanguage(request.headers['accept-language']),
    });
    // Spent in the step that used it; from here on, onlyIfFirst refuses a second organization anyway.
    token.spend();
    return reply.code(201).send(created);
  });
}

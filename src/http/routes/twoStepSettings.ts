/** Global Settings → Two-step verification (master administrators only). */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { TwofoldError } from '../../core/errors.ts';
import type { Actor, Context } from '../../services/context.ts';
import { loadOrganizationPolicy } from '../../services/twoStep/organizationPolicy.ts';
import { previewSettings, saveSettings } from '../../services/twoStep/saveSettings.ts';
import { actorOf } from '../guard.ts';
import { MethodId, strictObject } from '../schemas.ts';

export const TwoStepSettingsSchema = strictObject({
  masterAdministrators: Type.Boolean(),
  administrators: Type.Boolean(),
  technicians: Type.Union([Type.Literal('none'), Type.Literal('all'), Type.Literal('selected_groups')], {
    description: '"selected_groups" is "Members of selected Technician Group(s)": each group\'s enforceTwoStepVerification decides.',
  }),
  primaryMethod: MethodId,
  allowedMethods: Type.Array(MethodId, { minItems: 1, maxItems: 4 }),
});
type Settings = Static<typeof TwoStepSettingsSchema>;

const MethodNote = Type.Object({
  available: Type.Boolean({ description: 'Whether the method can be chosen now.' }),
  strength: Type.Union([Type.Literal('strong'), Type.Literal('weaker'), Type.Literal('weakest')]),
  note: Type.String({ description: 'What to tell an administrator who chooses it.' }),
});

const METHODS_DESCRIPTION = 'Read-only: what an administrator should know of each method where they choose it. '
  + 'SMS is marked `weaker` and email `weakest`: offer an authenticator app as well.';

/** GET's answer: the settings, plus the read-only notes on each method. */
const TwoStepSettingsView = Type.Object({
  ...TwoStepSettingsSchema.properties,
  methods: Type.Object({ push: MethodNote, totp: MethodNote, sms: MethodNote, email: MethodNote }, { readOnly: true, description: METHODS_DESCRIPTION }),
});

/**
 * What PUT and the preview take: the settings, and `methods` when a client sends back what GET
 * answered. `methods` is not a setting, so its content is not judged; it is dropped before saving.
 * Any other property is still refused.
 */
const TwoStepSettingsBody = strictObject({
  ...TwoStepSettingsSchema.properties,
  methods: Type.Optional(Type.Object({}, {
    additionalProperties: true, readOnly: true, description: `${METHODS_DESCRIPTION} Ignored when sent back.`,
  })),
});
type SettingsBody = Static<typeof TwoStepSettingsBody>;

/** The settings of a body, without the read-only `methods` a client may have sent back. */
const settingsOf = ({ methods: _readOnly, ...settings }: SettingsBody): Settings => settings;

/** What an administrator should know of each method where they choose it (docs/security.md S16–S17). */
const METHOD_NOTES: Static<typeof TwoStepSettingsView>['methods'] = {
  push: { available: true, strength: 'strong', note: 'Authenticator app notification with number matching: the Twofold Authenticator approves sign-ins.' },
  totp: { available: true, strength: 'strong', note: 'Any authenticator app (TOTP).' },
  sms: { available: true, strength: 'weaker', note: 'Text messages can be intercepted or redirected (SIM swap); offer an authenticator app as well.' },
  email: { available: true, strength: 'weakest', note: 'Email is not accepted as a second factor by NIST SP 800-63B; anyone who reads the mailbox passes.' },
};

const PreviewQuery = strictObject({
  cursor: Type.Optional(Type.String({ maxLength: 200, description: 'From `affectedMembers.nextCursor`: the next page of affected members.' })),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', description: 'Affected members per page: 1 to 200, default 50.' })),
});

const PreviewSchema = Type.Object({
  membersRequired: Type.Integer(),
  membersReset: Type.Integer(),
  membersToSetUp: Type.Integer(),
  membersMustSetUpAgain: Type.Integer({ description: 'Of `membersToSetUp`: members whose methods these settings switch off ("must set up again"); 0 when the primary method changes (everyone is reset).' }),
  saverAffected: Type.Boolean({ description: 'You are among the members this change resets or newly asks to set two-step verification up.' }),
  saverMustSetUp: Type.Boolean({ description: 'You will have to set two-step verification up.' }),
  saverSessionToSetUp: Type.Boolean({
    description: 'This session passed the password alone: after saving it answers `two_step_setup_required` until you set two-step verification up (POST /api/v1/me/two-step-setup).',
  }),
  affectedMembers: Type.Object({
    items: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), email: Type.String() })),
    nextCursor: Type.Union([Type.String(), Type.Null()]),
  }, { description: 'The members a new primary method resets, and who are told by email after saving, a page at a time (by member id). Empty when the primary method stays.' }),
});

function requireMaster(actor: Actor): void {
  if (actor.role !== 'master_administrator') throw new TwofoldError('forbidden', 'Only master administrators can see Global Settings.');
}

export async function twoStepSettingsRoutes(app: FastifyInstance, ctx: Context): Promise<void> {
  const tags = ['Global Settings'];
  app.get('/api/v1/settings/two-step-verification', {
    schema: {
      tags, summary: 'Who must use two-step verification and with which methods',
      response: { 200: TwoStepSettingsView },
    },
  }, async (request) => {
    const actor = actorOf(request);
    requireMaster(actor);
    const policy = await loadOrganizationPolicy(ctx.db, actor.organizationId);
    return { ...policy.twoStep, methods: METHOD_NOTES };
  });

  app.put<{ Body: SettingsBody }>('/api/v1/settings/two-step-verification', {
    schema: {
      tags, summary: 'Save Changes. Changing primaryMethod resets two-step verification for every member.',
      body: TwoStepSettingsBody,
      response: { 200: Type.Object({ settings: TwoStepSettingsSchema, membersReset: Type.Integer() }) },
    },
  }, async (request) => {
    const actor = actorOf(request);
    requireMaster(actor);
    return saveSettings(ctx, actor, settingsOf(request.body));
  });

  app.post<{ Body: SettingsBody; Querystring: Static<typeof PreviewQuery> }>('/api/v1/settings/two-step-verification/preview', {
    schema: {
      tags, summary: 'What saving these settings would do, without saving',
      body: TwoStepSettingsBody,
      querystring: PreviewQuery,
      response: { 200: PreviewSchema },
    },
  }, async (request) => {
    const actor = actorOf(request);
    requireMaster(actor);
    return previewSettings(ctx, actor, settingsOf(request.body), request.query);
  });
}

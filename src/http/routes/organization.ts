/** `/api/v1/organization`: the caller's organization, its Master Account Holder and its settings. */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../../services/context.ts';
import { getOrganization } from '../../services/organizations/getOrganization.ts';
import { getOrganizationSettings, updateOrganizationSettings } from '../../services/organizations/organizationSettings.ts';
import { AUDIT_RETENTION_DAYS } from '../../core/retention.ts';
import { transferMasterAccountHolder } from '../../services/organizations/transferMasterAccountHolder.ts';
import { actorOf } from '../guard.ts';
import { Id, strictObject } from '../schemas.ts';

const Organization = Type.Object({
  id: Type.String(),
  name: Type.String(),
  masterAccountHolderId: Type.Union([Type.String(), Type.Null()]),
});
const TransferBody = strictObject({ memberId: Id });
const AuditRetentionDays = Type.Integer({
  minimum: AUDIT_RETENTION_DAYS.minimum, maximum: AUDIT_RETENTION_DAYS.maximum,
  description: `Audit events older than this many days are deleted (default ${AUDIT_RETENTION_DAYS.default}).`,
});
const PushNumberDigits = Type.Union([Type.Literal(2), Type.Literal(6)], {
  description: 'Digits of the number a member types into the authenticator to approve a push: 2 by default, 6 to require more (NIST SP 800-63B-4 §3.1.3.1).',
});
const Settings = Type.Object({ auditRetentionDays: AuditRetentionDays, pushNumberDigits: PushNumberDigits });
const SettingsChanges = Type.Object({
  auditRetentionDays: Type.Optional(AuditRetentionDays), pushNumberDigits: Type.Optional(PushNumberDigits),
}, { additionalProperties: false, minProperties: 1 });
const tags = ['Organization'];

/** Registers the routes of this resource; the global guard requires a session unless a route says `public`. */
export async function organizationRoutes(app: FastifyInstance, ctx: Context): Promise<void> {
  app.get('/api/v1/organization', {
    schema: { tags, summary: 'Your organization', response: { 200: Organization } },
  }, async (request) => getOrganization(ctx, actorOf(request)));

  app.post<{ Body: Static<typeof TransferBody> }>('/api/v1/organization/master-account-holder', {
    schema: {
      tags, summary: 'Hand the Master Account Holder role to another master administrator (the holder only)',
      body: TransferBody, response: { 200: Organization },
    },
  }, async (request) => transferMasterAccountHolder(ctx, actorOf(request), request.body.memberId));

  app.get('/api/v1/organization/settings', {
    schema: { tags, summary: 'The organization\'s settings: how long audit events are kept, digits of push number matching (master administrators)', response: { 200: Settings } },
  }, async (request) => getOrganizationSettings(ctx, actorOf(request)));

  app.patch<{ Body: Static<typeof SettingsChanges> }>('/api/v1/organization/settings', {
    schema: { tags, summary: 'Change the organization\'s settings (master administrators); audited', body: SettingsChanges, response: { 200: Settings } },
  }, async (request) => updateOrganizationSettings(ctx, actorOf(request), request.body));
}

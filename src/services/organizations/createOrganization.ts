/**
 * Creates an organization with its Master Account Holder, in one database transaction. Used by
 * `twofold init`, `twofold demo` and the first-run page.
 */
import { TwofoldError } from '../../core/errors.ts';
import type { MemberLanguage } from '../../core/languages.ts';
import { DEFAULT_PASSWORD_POLICY, DEFAULT_TWO_STEP_SETTINGS } from '../../core/model.ts';
import { checkPassword } from '../../core/passwordStrength.ts';
import { hashPassword } from '../../crypto/passwords.ts';
import { newId } from '../../crypto/tokens.ts';
import { lockName } from '../access/rowLocks.ts';
import { audit } from '../audit.ts';
import type { Context } from '../context.ts';
import { normalizeEmail } from '../members/email.ts';

export interface CreateOrganizationInput {
  readonly organizationName: string;
  readonly name: string;
  readonly email: string;
  readonly password: string;
  /** The first-run page may only create the first organization of a deployment. */
  readonly onlyIfFirst?: boolean;
  /** The Master Account Holder's language, when the browser that creates the organization tells it. */
  readonly language?: MemberLanguage | null;
}

export interface CreatedOrganization {
  readonly organizationId: string;
  readonly memberId: string;
}

export async function createOrganization(ctx: Context, input: CreateOrganizationInput): Promise<CreatedOrganization> {
  const check = checkPassword(input.password, DEFAULT_PASSWORD_POLICY);
  if (!check.ok) throw new TwofoldError('password_too_weak', check.message, { rule: check.rule });
  const passwordHash = await hashPassword(input.password);
  const email = normalizeEmail(input.email);
  const organizationName = input.organizationName.trim();
  const name = input.name.trim();
  const now = ctx.clock();
  const organizationId = newId();
  const memberId = newId();
  const tsv = DEFAULT_TWO_STEP_SETTINGS;

  await ctx.db.transaction().execute(async (trx) => {
    if (input.onlyIfFirst) {
      // Two first runs at once would each see no organization under READ COMMITTED: the second waits here.
      await lockName(trx, ctx.store.engine, 'first-organization');
      const existing = await trx.selectFrom('organizations').select('id').limit(1).executeTakeFirst();
      if (existing) throw new TwofoldError('setup_already_done', 'This deployment already has an organization.');
    }
    const taken = await trx.selectFrom('members').select('id').where('email', '=', email).executeTakeFirst();
    if (taken) throw new TwofoldError('email_taken', 'A member with this email already exists.');
    await trx.insertInto('organizations').values({
      id: organizationId,
      name: organizationName,
      master_account_holder_id: null,
      two_step_epoch: 1,
      tsv_master_administrators: tsv.masterAdministrators ? 1 : 0,
      tsv_administrators: tsv.administrators ? 1 : 0,
      tsv_technicians: tsv.technicians,
      tsv_primary_method: tsv.primaryMethod,
      tsv_allowed_methods: tsv.allowedMethods.join(','),
      pw_minimum_strength: DEFAULT_PASSWORD_POLICY.minimumStrength,
      pw_maximum_age_days: DEFAULT_PASSWORD_POLICY.maximumAgeDays,
      pw_expiry_notice_days: DEFAULT_PASSWORD_POLICY.expiryNoticeDays,
      pw_admin_change_forces_change: DEFAULT_PASSWORD_POLICY.adminChangeForcesChange ? 1 : 0,
      created_at: now.getTime(),
    }).execute();
    await trx.insertInto('members').values({
      id: memberId,
      organization_id: organizationId,
      email,
      name,
      role: 'master_administrator',
      administrator_group_id: null,
      technician_group_id: null,
      enabled: 1,
      password_hash: passwordHash,
      password_changed_at: now.getTime(),
      must_change_password: 0,
      created_at: now.getTime(),
      last_sign_in_at: null,
      language: input.language ?? null,
    }).execute();
    await trx.updateTable('organizations').set({ master_account_holder_id: memberId }).where('id', '=', organizationId).execute();
    const actor = { id: memberId, name };
    await audit(trx, now, { organizationId, actor, entityType: 'organization', entityId: organizationId, entityName: organizationName, changeType: 'Add' });
    await audit(trx, now, { organizationId, actor, entityType: 'master_administrator', entityId: memberId, entityName: name, changeType: 'Add', details: { masterAccountHolder: true } });
  });
  return { organizationId, memberId };
}

export async function hasAnyOrganization(ctx: Context): Promise<boolean> {
  return (await ctx.db.selectFrom('organizations').select('id').limit(1).executeTakeFirst()) !== undefined;
}

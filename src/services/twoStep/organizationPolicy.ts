/** Reads an organization's Global Settings into the plain shapes the core rules take. */
import { TwofoldError } from '../../core/errors.ts';
import type { MethodId, PasswordPolicy, PasswordStrength, TechnicianScope, TwoStepSettings } from '../../core/model.ts';
import type { Db } from '../../storage/database.ts';
import { prepareQuery } from '../../storage/preparedQuery.ts';
import type { OrganizationRow } from '../../storage/schema.ts';

export interface OrganizationPolicy {
  readonly id: string;
  readonly name: string;
  readonly masterAccountHolderId: string | null;
  /** Factors bound in another epoch no longer count (docs/design.md "Resetting everyone in constant time"). */
  readonly epoch: number;
  /** When the epoch last moved (epoch milliseconds), or null: verifications before then no longer count. */
  readonly twoStepResetAt: number | null;
  readonly twoStep: TwoStepSettings;
  readonly passwordPolicy: PasswordPolicy;
}

/**
 * The organization's columns a policy is made of (besides its id), for a query that reads them along
 * with another row, such as the verify step's transaction: one statement instead of two.
 */
export const POLICY_COLUMNS = [
  'organizations.name', 'organizations.master_account_holder_id', 'organizations.two_step_epoch', 'organizations.two_step_reset_at',
  'organizations.tsv_master_administrators', 'organizations.tsv_administrators', 'organizations.tsv_technicians',
  'organizations.tsv_primary_method', 'organizations.tsv_allowed_methods', 'organizations.pw_minimum_strength',
  'organizations.pw_maximum_age_days', 'organizations.pw_expiry_notice_days', 'organizations.pw_admin_change_forces_change',
] as const;

type PolicyColumn = typeof POLICY_COLUMNS[number] extends `organizations.${infer C}` ? C : never;
export type PolicyRow = Pick<OrganizationRow, 'id' | PolicyColumn>;

export function policyFromRow(row: PolicyRow): OrganizationPolicy {
  return policyFromColumns(row, row.id);
}

/** The policy from its columns read along with another row, whose own `id` is not the organization's. */
export function policyFromColumns(row: Omit<PolicyRow, 'id'>, organizationId: string): OrganizationPolicy {
  return {
    id: organizationId,
    name: row.name,
    masterAccountHolderId: row.master_account_holder_id,
    epoch: row.two_step_epoch,
    twoStepResetAt: row.two_step_reset_at,
    twoStep: {
      masterAdministrators: row.tsv_master_administrators === 1,
      administrators: row.tsv_administrators === 1,
      technicians: row.tsv_technicians as TechnicianScope,
      primaryMethod: row.tsv_primary_method as MethodId,
      allowedMethods: row.tsv_allowed_methods.split(',').filter(Boolean) as MethodId[],
    },
    passwordPolicy: {
      minimumStrength: row.pw_minimum_strength as PasswordStrength,
      maximumAgeDays: row.pw_maximum_age_days,
      expiryNoticeDays: row.pw_expiry_notice_days,
      adminChangeForcesChange: row.pw_admin_change_forces_change === 1,
    },
  };
}

const organizationById = prepareQuery((db, p: { id: string }) => db.selectFrom('organizations').selectAll().where('id', '=', p.id));

export async function loadOrganizationPolicy(db: Db, organizationId: string): Promise<OrganizationPolicy> {
  const row = await organizationById.first(db, { id: organizationId });
  if (!row) throw new TwofoldError('not_found', 'No such organization.');
  return policyFromRow(row);
}

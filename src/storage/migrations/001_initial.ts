import type { Kysely } from 'kysely';

/**
 * The first schema. Column types are chosen to mean the same on SQLite and PostgreSQL: `bigint`
 * for epoch-millisecond times, `integer` for 0/1 flags and counters, `text` for everything else.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('organizations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('master_account_holder_id', 'text')
    .addColumn('two_step_epoch', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('tsv_master_administrators', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tsv_administrators', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('tsv_technicians', 'text', (c) => c.notNull().defaultTo('none'))
    .addColumn('tsv_primary_method', 'text', (c) => c.notNull().defaultTo('totp'))
    .addColumn('tsv_allowed_methods', 'text', (c) => c.notNull().defaultTo('totp,sms,email'))
    .addColumn('pw_minimum_strength', 'text', (c) => c.notNull().defaultTo('good'))
    .addColumn('pw_maximum_age_days', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('pw_expiry_notice_days', 'integer', (c) => c.notNull().defaultTo(14))
    .addColumn('pw_admin_change_forces_change', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('technician_groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('parent_id', 'text', (c) => c.references('technician_groups.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('enforce_two_step', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('technician_groups_org').on('technician_groups').columns(['organization_id', 'parent_id']).execute();

  await db.schema
    .createTable('administrator_groups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('parent_id', 'text', (c) => c.references('administrator_groups.id'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('administrator_groups_org').on('administrator_groups').columns(['organization_id', 'parent_id']).execute();

  await db.schema
    .createTable('members')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull().references('organizations.id'))
    .addColumn('email', 'text', (c) => c.notNull().unique())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('description', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('role', 'text')
    .addColumn('administrator_group_id', 'text', (c) => c.references('administrator_groups.id'))
    .addColumn('technician_group_id', 'text', (c) => c.references('technician_groups.id'))
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('password_hash', 'text')
    .addColumn('password_changed_at', 'bigint')
    .addColumn('must_change_password', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('last_sign_in_at', 'bigint')
    .execute();
  await db.schema.createIndex('members_org').on('members').columns(['organization_id', 'created_at', 'id']).execute();
  await db.schema.createIndex('members_tgroup').on('members').column('technician_group_id').execute();

  await db.schema
    .createTable('administrator_assignments')
    .addColumn('administrator_id', 'text', (c) => c.notNull().references('members.id'))
    .addColumn('technician_group_id', 'text', (c) => c.notNull().references('technician_groups.id'))
    .addPrimaryKeyConstraint('administrator_assignments_pk', ['administrator_id', 'technician_group_id'])
    .execute();
  await db.schema.createIndex('administrator_assignments_group').on('administrator_assignments').column('technician_group_id').execute();

  await db.schema
    .createTable('invitations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('token_hash', 'text', (c) => c.notNull().unique())
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('client_kind', 'text', (c) => c.notNull())
    .addColumn('client_version', 'text')
    .addColumn('ip', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('last_seen_at', 'bigint', (c) => c.notNull())
    .addColumn('reauthenticated_at', 'bigint')
    .addColumn('revoked_at', 'bigint')
    .execute();
  await db.schema.createIndex('sessions_member').on('sessions').column('member_id').execute();

  await db.schema
    .createTable('factors')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
    .addColumn('type', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull())
    .addColumn('epoch', 'integer', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('secret', 'text')
    .addColumn('destination', 'text')
    .addColumn('last_step', 'bigint')
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('locked_until', 'bigint')
    .addColumn('locked_until_reset', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('setup_transaction_id', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('confirmed_at', 'bigint')
    .execute();
  await db.schema.createIndex('factors_member').on('factors').columns(['member_id', 'epoch']).execute();
  // The preview's "how many will be reset" is one indexed count over this.
  await db.schema.createIndex('factors_org_epoch').on('factors').columns(['organization_id', 'epoch', 'active', 'member_id']).execute();

  await db.schema
    .createTable('sent_codes')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('factor_id', 'text', (c) => c.notNull())
    .addColumn('transaction_id', 'text', (c) => c.notNull())
    .addColumn('code_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();
  await db.schema.createIndex('sent_codes_lookup').on('sent_codes').columns(['transaction_id', 'factor_id']).execute();

  await db.schema
    .createTable('transactions')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('member_id', 'text', (c) => c.notNull().references('members.id'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('client_kind', 'text', (c) => c.notNull())
    .addColumn('client_version', 'text')
    .addColumn('browser_binding_hash', 'text')
    .addColumn('failures', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('epoch', 'integer', (c) => c.notNull())
    .addColumn('new_password_hash', 'text')
    .addColumn('end_other_sessions', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('origin_session_id', 'text')
    .addColumn('ip', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('completed_at', 'bigint')
    .execute();
  await db.schema.createIndex('transactions_member').on('transactions').column('member_id').execute();

  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('count', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('audit_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('organization_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_name', 'text', (c) => c.notNull())
    .addColumn('entity_type', 'text', (c) => c.notNull())
    .addColumn('entity_id', 'text', (c) => c.notNull())
    .addColumn('entity_name', 'text', (c) => c.notNull())
    .addColumn('change_type', 'text', (c) => c.notNull())
    .addColumn('details', 'text')
    .addColumn('ip', 'text')
    .execute();
  await db.schema.createIndex('audit_events_org_at').on('audit_events').columns(['organization_id', 'at', 'id']).execute();
}

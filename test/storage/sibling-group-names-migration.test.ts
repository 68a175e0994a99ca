/**
 * Migration 015 on a database that already holds sibling groups of one name (allowed before it):
 * the oldest keeps its name, the later ones get " (2)", " (3)"… (skipping a name a sibling already
 * has), and then the unique index exists. The database is rolled back to before 015 and reopened, as
 * an upgrade would meet it; on SQLite and PostgreSQL.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { renamedDuplicateSiblings } from '../../src/core/groupTree.ts';
import { newId } from '../../src/crypto/tokens.ts';
import { openStore, type Store } from '../../src/storage/database.ts';
import { isUniqueViolation } from '../../src/storage/uniqueViolation.ts';
import { engines } from '../support/harness.ts';
import { createTestDatabase } from '../support/postgres.ts';

async function open(engine: string): Promise<{ store: Store; reopen(): Promise<Store>; cleanUp(): Promise<void> }> {
  if (engine === 'postgres') {
    const database = await createTestDatabase(process.env.TWOFOLD_TEST_POSTGRES_URL!);
    const options = { databaseUrl: database.url, dataDir: '/nonexistent' };
    return { store: await openStore(options), reopen: () => openStore(options), cleanUp: () => database.drop() };
  }
  const dir = mkdtempSync(join(tmpdir(), 'twofold-015-'));
  return { store: await openStore({ dataDir: dir }), reopen: () => openStore({ dataDir: dir }), cleanUp: async () => rmSync(dir, { recursive: true, force: true }) };
}

describe('renaming clashing siblings (core/groupTree.ts)', () => {
  test('the oldest keeps its name; later ones take the first free suffix among their siblings only', () => {
    const renamed = renamedDuplicateSiblings([
      { id: '1', siblingsKey: 'p', name: 'Support' },
      { id: '2', siblingsKey: 'p', name: 'SUPPORT' },
      { id: '3', siblingsKey: 'p', name: 'support (2)' },
      { id: '4', siblingsKey: 'p', name: 'Support' },
      { id: '5', siblingsKey: 'q', name: 'Support' },
    ]);
    assert.deepEqual(Object.fromEntries(renamed), { 2: 'SUPPORT (3)', 4: 'Support (4)' });
  });
});

for (const engine of engines()) {
  describe(`migration 015 on ${engine}`, () => {
    test('sibling groups sharing a name are renamed with a suffix, then the unique index holds', async () => {
      const opened = await open(engine);
      let store = opened.store;
      try {
        const organizationId = newId();
        await store.db.insertInto('organizations').values({
          id: organizationId, name: 'Old Org', master_account_holder_id: null, two_step_epoch: 1, two_step_reset_at: null,
          tsv_master_administrators: 0, tsv_administrators: 0, tsv_technicians: 'none', tsv_primary_method: 'totp',
          tsv_allowed_methods: 'totp', pw_minimum_strength: 'good', pw_maximum_age_days: 0, pw_expiry_notice_days: 14,
          pw_admin_change_forces_change: 0, created_at: 0,
        }).execute();
        // Back to the schema before 015, as a database written by the previous version is: later
        // migrations undone first, as the migrator wants the applied ones to be a prefix of the list.
        for (const index of ['technician_groups_children', 'technician_groups_name_prefix', 'members_name_prefix', 'members_email_prefix',
          'members_org_role', 'audit_events_actor', 'audit_events_entity', 'audit_events_change']) {
          await sql`drop index ${sql.raw(index)}`.execute(store.db);
        }
        await sql`delete from kysely_migration where name = '016_admin_center_indexes'`.execute(store.db);
        await sql`drop index technician_groups_sibling_name`.execute(store.db);
        await sql`alter table organizations drop column audit_retention_days`.execute(store.db);
        // Later migrations are undone too: the migrator runs only migrations after the last one done.
        await sql`drop table secret_key_check`.execute(store.db);
        for (const table of ['push_devices', 'push_pairings', 'push_requests', 'push_locks']) await sql`drop table ${sql.raw(table)}`.execute(store.db);
        await sql`alter table organizations drop column push_number_digits`.execute(store.db);
        await sql`delete from kysely_migration where name >= '015_group_names_audit_retention'`.execute(store.db);
        const group = async (name: string, parentId: string | null, createdAt: number) => {
          const id = newId();
          await store.db.insertInto('technician_groups').values({
            id, organization_id: organizationId, parent_id: parentId, name, description: '', enforce_two_step: 0, created_at: createdAt,
          }).execute();
          return id;
        };
        const first = await group('Support', null, 1);
        const second = await group('support', null, 2);
        const third = await group('SUPPORT', null, 3);
        const child = await group('Tier 1', first, 4);
        const otherChild = await group('Tier 1', second, 5);
        await store.close();

        store = await opened.reopen();
        const names = Object.fromEntries((await store.db.selectFrom('technician_groups').select(['id', 'name']).execute()).map((g) => [g.id, g.name]));
        assert.deepEqual(
          [names[first], names[second], names[third], names[child], names[otherChild]],
          ['Support', 'support (2)', 'SUPPORT (3)', 'Tier 1', 'Tier 1'],
        );
        await assert.rejects(group('support (2)', null, 6), (error) => isUniqueViolation(error));
        const organization = await store.db.selectFrom('organizations').select('audit_retention_days').where('id', '=', organizationId).executeTakeFirstOrThrow();
        assert.equal(organization.audit_retention_days, 365);
      } finally {
        await store.close();
        await opened.cleanUp();
      }
    });
  });
}

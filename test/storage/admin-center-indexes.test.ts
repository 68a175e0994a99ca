/**
 * Migration 016: the Admin Center's lists read through indexes. On SQLite the planner is asked how
 * it runs the tree page, the prefix search and the filtered audit page; on PostgreSQL the indexes
 * exist, the prefix ones with text_pattern_ops so that LIKE 'prefix%' can use them.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { createTestApp, engines } from '../support/harness.ts';

for (const engine of engines()) {
  describe(`admin center indexes on ${engine}`, () => {
    test('each list has its index', async () => {
      const t = await createTestApp({ engine });
      try {
        if (engine === 'sqlite') {
          const plan = async (query: ReturnType<typeof sql>) =>
            (await sql<{ detail: string }>`explain query plan ${query}`.execute(t.ctx.db)).rows.map((r) => r.detail).join('\n');
          assert.match(await plan(sql`select id from technician_groups where organization_id = 'o' and parent_id = 'p' and (name > 'a' or (name = 'a' and id > 'b')) order by name, id limit 101`), /technician_groups_children/);
          assert.match(await plan(sql`select id from members where organization_id = 'o' and lower(name) >= 'ab' and lower(name) < 'ab' || char(1114111) order by lower(name), id limit 20`), /members_name_prefix/);
          assert.match(await plan(sql`select id from members where organization_id = 'o' and email >= 'ab' and email < 'ab' || char(1114111) order by email, id limit 20`), /members_email_prefix|members_org/);
          assert.match(await plan(sql`select id from technician_groups where organization_id = 'o' and lower(name) >= 'ab' and lower(name) < 'ab' || char(1114111) order by lower(name), id limit 20`), /technician_groups_name_prefix/);
          assert.match(await plan(sql`select id from audit_events where organization_id = 'o' and change_type = 'Change' order by at desc, id desc limit 51`), /audit_events_change/);
          assert.match(await plan(sql`select id from audit_events where organization_id = 'o' and actor_id = 'a' order by at desc, id desc limit 51`), /audit_events_actor/);
        } else {
          const { rows } = await sql<{ indexname: string; indexdef: string }>`select indexname, indexdef from pg_indexes`.execute(t.ctx.db);
          const def = (name: string) => rows.find((r) => r.indexname === name)?.indexdef ?? '';
          for (const name of ['technician_groups_name_prefix', 'members_name_prefix', 'members_email_prefix']) assert.match(def(name), /text_pattern_ops/, name);
          for (const name of ['technician_groups_children', 'members_org_role', 'audit_events_actor', 'audit_events_entity', 'audit_events_change']) assert.ok(def(name), name);
        }
      } finally {
        await t.close();
      }
    });
  });
}

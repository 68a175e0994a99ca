/**
 * Keyset pages: every listing pages on (sort column, id) with one row-value comparison, which both
 * engines seek their index to, so a deep page costs what the first does; and pages walked one after
 * another give every row once, in order, even when many rows share the sort value. The status
 * report's factors are read through the same range as its members, batch after batch.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { newId } from '../../src/crypto/tokens.ts';
import { keysetCondition } from '../../src/services/access/pagination.ts';
import { call, createTestApp, engines, newOrganization, tokenFor, type TestApp } from '../support/harness.ts';

/** `count` members sharing a few creation times (ties broken by id); every third one with an active factor. */
async function addMembers(t: TestApp, organizationId: string, count: number): Promise<Map<string, boolean>> {
  const [master] = await t.ctx.db.selectFrom('members').select('password_hash').where('organization_id', '=', organizationId).execute();
  const { two_step_epoch: epoch } = await t.ctx.db.selectFrom('organizations').select('two_step_epoch').where('id', '=', organizationId).executeTakeFirstOrThrow();
  const at = t.clock.now().getTime();
  const members = Array.from({ length: count }, (_, i) => ({
    id: newId(), organization_id: organizationId, email: `paged-${i}@example.test`, name: `Paged ${i}`, role: null, administrator_group_id: null,
    technician_group_id: null, enabled: 1, password_hash: master!.password_hash, password_changed_at: at, must_change_password: 0,
    created_at: at + (i % 4), last_sign_in_at: null,
  }));
  // In chunks: each engine bounds a statement's parameters.
  for (let from = 0; from < members.length; from += 1_000) await t.ctx.db.insertInto('members').values(members.slice(from, from + 1_000)).execute();
  const withFactor = members.filter((_, i) => i % 3 === 0);
  for (let from = 0; from < withFactor.length; from += 1_000) await t.ctx.db.insertInto('factors').values(withFactor.slice(from, from + 1_000).map((m) => ({
    id: newId(), organization_id: organizationId, member_id: m.id, type: 'totp', label: 'Authenticator app', epoch, active: 1,
    secret: t.ctx.secretBox.seal(Buffer.alloc(20, 1), m.id), destination: null, last_step: null, failures: 0, locked_until: null,
    locked_until_reset: 0, setup_transaction_id: null, created_at: at, confirmed_at: at,
  }))).execute();
  return new Map(members.map((m, i) => [m.id, i % 3 === 0]));
}

for (const engine of engines()) {
  describe(`keyset pagination on ${engine}`, () => {
    // SQLite's plan is fixed by its rules, so it can be read here; PostgreSQL's planner chooses by the
    // table's statistics, and on a test's small table a plan would say nothing about a large one.
    if (engine === 'sqlite') test('SQLite seeks the index to the row value of the cursor, in both directions', async () => {
      const t = await createTestApp({ engine });
      try {
        const plan = async (direction: 'after' | 'before') => {
          const query = t.ctx.db.selectFrom('members').select('id').where('organization_id', '=', 'o')
            .where(keysetCondition(['created_at', 'id'], [5, 'x'], direction)).orderBy('created_at').orderBy('id').limit(50);
          const compiled = query.compile();
          const explained = await t.ctx.db.executeQuery<{ detail: string }>({ ...compiled, sql: `explain query plan ${compiled.sql}` });
          return explained.rows.map((r) => r.detail).join('\n');
        };
        // The index range starts at the cursor: not a walk from the organization's first member.
        assert.match(await plan('after'), /\(organization_id=\? AND \(created_at,id\)>\(\?,\?\)\)/);
        assert.match(await plan('before'), /\(organization_id=\? AND \(created_at,id\)<\(\?,\?\)\)/);
      } finally {
        await t.close();
      }
    });

    test('member pages give every member once, in order, across ties', async () => {
      const t = await createTestApp({ engine });
      try {
        const org = await newOrganization(t);
        await addMembers(t, org.organizationId, 23);
        const token = await tokenFor(t, org.email);
        const seen: Array<{ id: string; createdAt: string }> = [];
        let cursor: string | null = '';
        for (let pages = 0; cursor !== null; pages++) {
          assert.ok(pages < 20, 'the pages do not end');
          const response = await call(t, 'GET', `/api/v1/members?limit=5${cursor ? `&cursor=${cursor}` : ''}`, undefined, token);
          assert.equal(response.statusCode, 200, response.body);
          const body = response.json() as { items: Array<{ id: string; createdAt: string }>; nextCursor: string | null };
          seen.push(...body.items);
          cursor = body.nextCursor;
        }
        assert.equal(seen.length, 24);
        assert.equal(new Set(seen.map((m) => m.id)).size, 24);
        const order = (m: { id: string; createdAt: string }) => `${Date.parse(m.createdAt).toString().padStart(15, '0')} ${m.id}`;
        assert.deepEqual(seen.map(order), seen.map(order).sort());
      } finally {
        await t.close();
      }
    });

    test('the status report reads each batch\'s factors through its range of members', async () => {
      const t = await createTestApp({ engine });
      try {
        const org = await newOrganization(t);
        // More than one batch (a page reads batches of 200) with ties at the batch boundaries.
        const hasFactor = await addMembers(t, org.organizationId, 450);
        const token = await tokenFor(t, org.email);
        const setUp = new Map<string, boolean>();
        let cursor: string | null = '';
        for (let pages = 0; cursor !== null; pages++) {
          assert.ok(pages < 20, 'the pages do not end');
          const response = await call(t, 'GET', `/api/v1/reports/two-step-verification/members?limit=170${cursor ? `&cursor=${cursor}` : ''}`, undefined, token);
          assert.equal(response.statusCode, 200, response.body);
          const body = response.json() as { items: Array<{ id: string; setUp: boolean }>; nextCursor: string | null };
          for (const row of body.items) {
            assert.ok(!setUp.has(row.id), 'a member appears twice');
            setUp.set(row.id, row.setUp);
          }
          cursor = body.nextCursor;
        }
        for (const [id, factor] of hasFactor) assert.equal(setUp.get(id), factor, `member ${id}`);
        assert.equal(setUp.size, hasFactor.size + 1);
        const csv = await call(t, 'GET', '/api/v1/reports/two-step-verification/members?format=csv', undefined, token);
        assert.equal(csv.statusCode, 200);
        const lines = csv.body.trim().split('\r\n');
        assert.equal(lines.length, 1 + hasFactor.size + 1);
        assert.equal(lines.filter((l) => l.startsWith('"Paged ') && l.split(',')[6] === '"yes"').length, [...hasFactor.values()].filter(Boolean).length);
      } finally {
        await t.close();
      }
    });

    test('the status CSV streams every member once across its batches, the last one full', async () => {
      const t = await createTestApp({ engine });
      try {
        const org = await newOrganization(t);
        // With the master administrator, exactly two batches of 5,000: the read after the second finds nothing.
        const hasFactor = await addMembers(t, org.organizationId, 9_999);
        const token = await tokenFor(t, org.email);
        const csv = await call(t, 'GET', '/api/v1/reports/two-step-verification/members?format=csv', undefined, token);
        assert.equal(csv.statusCode, 200);
        const rows = csv.body.trim().split('\r\n').slice(1).filter((l) => l.startsWith('"Paged '));
        assert.equal(new Set(rows.map((l) => l.split(',')[1])).size, hasFactor.size, 'each member once');
        assert.equal(rows.length, hasFactor.size);
        assert.equal(rows.filter((l) => l.split(',')[6] === '"yes"').length, [...hasFactor.values()].filter(Boolean).length);
      } finally {
        await t.close();
      }
    });
  });
}

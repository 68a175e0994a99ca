/**
 * On SQLite, LIMIT and OFFSET values are written into the SQL, not bound: SQLite plans a query by
 * them, so a bound one has the statement planned again at every run. Only whole numbers are written
 * in; the rows are those the bound form gives.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openStore, type Store } from '../../src/storage/database.ts';
import { hitRateLimit, rateLimitedUntil } from '../../src/storage/rateLimit.ts';

async function withStore(run: (store: Store) => Promise<void>): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), 'twofold-sqlite-limits-'));
  const store = await openStore({ dataDir });
  try {
    await run(store);
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

test('whole-number limits and offsets are written into the SQL, and page as the bound ones did', async () => {
  await withStore(async (store) => {
    const hits = Array.from({ length: 7 }, (_, i) => ({ id: `hit-${i}`, key: 'k', counted_at: 1_000 + i }));
    await store.db.insertInto('rate_limit_hits').values(hits).execute();
    const page = store.db.selectFrom('rate_limit_hits').select('counted_at').where('key', '=', 'k').orderBy('counted_at').limit(3).offset(2);

    const compiled = page.compile();
    assert.match(compiled.sql, / limit 3 offset 2$/);
    assert.deepEqual(compiled.parameters, ['k'], 'only the key is bound');
    assert.deepEqual((await page.execute()).map((r) => r.counted_at), [1_002, 1_003, 1_004]);
    // A bigint is a whole number too; an expression is bound (or written) as Kysely writes it.
    assert.match(store.db.selectFrom('rate_limit_hits').select('id').limit(5n).compile().sql, / limit 5$/);
    const expression = store.db.selectFrom('rate_limit_hits').select('id').limit(sql<number>`${2} + ${1}`).compile();
    assert.match(expression.sql, / limit \? \+ \?$/);
    assert.deepEqual(expression.parameters, [2, 1]);
  });
});

test('a value that is not a whole number is bound, never written into the SQL', async () => {
  await withStore(async (store) => {
    const fractional = store.db.selectFrom('rate_limit_hits').select('id').limit(2.5).compile();
    assert.match(fractional.sql, / limit \?$/);
    assert.deepEqual(fractional.parameters, [2.5]);
    const text = store.db.selectFrom('rate_limit_hits').select('id').offset('1; drop table members' as unknown as number).compile();
    assert.match(text.sql, / offset \?$/);
    assert.deepEqual(text.parameters, ['1; drop table members']);
  });
});

test('the rate limits, read with a query of its own for each limit, allow and refuse as before', async () => {
  await withStore(async (store) => {
    const now = new Date(1_000_000);
    for (let i = 0; i < 3; i++) assert.equal((await hitRateLimit(store.db, 'a', 3, 60_000, now)).allowed, true);
    assert.equal((await hitRateLimit(store.db, 'a', 3, 60_000, now)).allowed, false, 'the fourth in the window is refused');
    assert.equal((await hitRateLimit(store.db, 'b', 1, 60_000, now)).allowed, true);
    assert.equal((await hitRateLimit(store.db, 'b', 1, 60_000, now)).allowed, false, 'a limit of one, read with its own query');
    assert.deepEqual(await rateLimitedUntil(store.db, 'a', 3, 60_000, now), new Date(1_060_000));
    assert.equal(await rateLimitedUntil(store.db, 'a', 4, 60_000, now), null, 'three attempts do not reach a limit of four');
  });
});

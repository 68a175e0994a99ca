/**
 * SQLite's page cache and memory map are memory the server's process holds: a map as large as the
 * database ends up holding all of it once read. The store sizes them as configured, small by default.
 * (SQLite only: PostgreSQL's buffers live in its own processes.)
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { openStore } from '../../src/storage/database.ts';

async function pragmas(options: { sqliteCacheMb?: number; sqliteMmapMb?: number }): Promise<{ cache: number; mmap: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'twofold-sqlite-memory-'));
  const store = await openStore({ dataDir, ...options });
  try {
    const cache = (await sql<{ cache_size: number }>`pragma cache_size`.execute(store.db)).rows[0]!.cache_size;
    const mmap = (await sql<{ mmap_size: number }>`pragma mmap_size`.execute(store.db)).rows[0]!.mmap_size;
    return { cache, mmap };
  } finally {
    await store.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

test('by default a 16 MiB page cache and no memory map', async () => {
  assert.deepEqual(await pragmas({}), { cache: -16 * 1024, mmap: 0 });
});

test('both as configured', async () => {
  assert.deepEqual(await pragmas({ sqliteCacheMb: 64, sqliteMmapMb: 256 }), { cache: -64 * 1024, mmap: 256 * 1024 * 1024 });
});

/**
 * Every node of a deployment must use the same secret key: it encrypts authenticator app secrets and
 * keys the hashes of sent codes, so a node with another key (TWOFOLD_SECRET_KEY unset on it, and a key
 * file of its own made) would fail every code it did not write, with nothing in its log to say why.
 * The first start records an HMAC of a fixed text under the key (it says nothing about the key), and
 * every start compares its own: a node whose key differs refuses to start.
 */
import { createHmac } from 'node:crypto';
import { safeEqual } from '../crypto/tokens.ts';
import type { Db } from './database.ts';

const ROW_ID = 'deployment';
const LABEL = 'twofold secret key check v1';

/** True when `key` is the key the database was first used with (recording it on the first start). */
export async function isDatabaseKey(db: Db, key: Uint8Array, now: Date): Promise<boolean> {
  const mac = createHmac('sha256', key).update(LABEL).digest('hex');
  // Two first starts racing: one row wins, and the other node compares against it.
  await db.insertInto('secret_key_check').values({ id: ROW_ID, mac, created_at: now.getTime() })
    .onConflict((oc) => oc.column('id').doNothing()).execute();
  const row = await db.selectFrom('secret_key_check').select('mac').where('id', '=', ROW_ID).executeTakeFirstOrThrow();
  return safeEqual(row.mac, mac);
}

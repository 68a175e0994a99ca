/**
 * Threat: a copy of the database (a backup, a read-only SQL injection) hands out working secrets.
 * docs/security.md S8 (TOTP seeds encrypted at rest), S5 and S10 (codes stored only as hashes), S22 (session
 * tokens stored hashed): a dump of the database holds no seed,
 * code or token. After a full set-up (TOTP, SMS and email), website and console sign-ins, a
 * re-verification and a password change, every column of every table is searched for the TOTP seed
 * (base32, hex, base64), every code that was sent, every session token, every transaction id and
 * browser binding, and the passwords.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { sql } from 'kysely';
import { PASSWORD, call, createTestApp, engines, lastCode, type TestApp, type TransactionBody } from '../support/harness.ts';
import { activate, bindSentCode, bindTotp, confirm, newPhone, secretOf, signInExpecting, totpNow, verify } from './_factors.ts';
import { organizationWith } from './_fixtures.ts';

const NEW_PASSWORD = 'Another-Horse-42';

for (const engine of engines()) {
  describe(`no secret at rest on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    /** Every value of every column of every table, as text (binary values also as hex and base64). */
    async function dumpDatabase(): Promise<string[]> {
      const tables = await t.ctx.db.introspection.getTables({ withInternalKyselyTables: true });
      assert.ok(tables.length >= 10, `tables found: ${tables.map((x) => x.name).join(', ')}`);
      const values: string[] = [];
      for (const table of tables) {
        const { rows } = await sql<Record<string, unknown>>`select * from ${sql.table(table.name)}`.execute(t.ctx.db);
        for (const row of rows) {
          for (const value of Object.values(row)) {
            if (value === null || value === undefined) continue;
            if (Buffer.isBuffer(value)) values.push(value.toString('hex'), value.toString('base64'), value.toString('latin1'));
            else values.push(typeof value === 'object' ? JSON.stringify(value) : String(value));
          }
        }
      }
      return values;
    }

    test('the database holds no seed, code, token, transaction id or password', async () => {
      const org = await organizationWith(t, { masterAdministrators: true }, 'Vault Corp');
      const phone = newPhone();

      // Set-up on the console: TOTP first, then SMS and email backups, each confirmed with its code.
      const setup = await signInExpecting(t, org.email, 'setup');
      const totp = await bindTotp(t, setup.id);
      assert.equal((await confirm(t, setup.id, totp.factorId, totpNow(t, totp.seed))).statusCode, 200);
      const smsFactor = await bindSentCode(t, setup.id, 'sms', phone);
      const emailFactor = await bindSentCode(t, setup.id, 'email', org.email);
      const first = await activate(t, setup.id);
      t.clock.advance(30_000);

      // A console sign-in with a text-message code.
      const consoleTx = await signInExpecting(t, org.email, 'verify');
      assert.equal((await call(t, 'POST', `/api/v1/transactions/${consoleTx.id}/challenges`, { factorId: smsFactor })).statusCode, 201);
      const signedIn = await verify(t, consoleTx.id, smsFactor, lastCode(t, phone));
      assert.equal(signedIn.statusCode, 200, signedIn.body);
      const consoleToken = (signedIn.json() as TransactionBody).session!.token!;

      // A website sign-in with TOTP.
      const website = await call(t, 'POST', '/api/v1/sign-in', { email: org.email, password: PASSWORD, client: { kind: 'website' } });
      const binding = /twofold_tx=([^;]+)/.exec(String(website.headers['set-cookie']))![1]!;
      const websiteTxId = (website.json() as TransactionBody).id;
      const done = await call(t, 'POST', `/api/v1/transactions/${websiteTxId}/verify`, { factorId: totp.factorId, code: totpNow(t, totp.seed) }, undefined, {
        cookie: `twofold_tx=${binding}`, origin: 'http://localhost:80',
      });
      assert.equal(done.statusCode, 200, done.body);
      const websiteToken = /twofold_session=([^;]+)/.exec(String(done.headers['set-cookie']))![1]!;

      // Re-verification by email, and a password change confirmed by email.
      t.clock.advance(30_000);
      assert.equal((await call(t, 'POST', '/api/v1/me/reauthentication/challenges', { factorId: emailFactor }, consoleToken)).statusCode, 201);
      assert.equal((await call(t, 'POST', '/api/v1/me/reauthentication', { factorId: emailFactor, code: lastCode(t, org.email) }, consoleToken)).statusCode, 200);
      const change = await call(t, 'POST', '/api/v1/me/password', { currentPassword: PASSWORD, newPassword: NEW_PASSWORD }, consoleToken);
      assert.equal(change.statusCode, 202, change.body);
      const changeTxId = (change.json() as TransactionBody).id;
      t.clock.advance(30_000);
      assert.equal((await call(t, 'POST', `/api/v1/transactions/${changeTxId}/challenges`, { factorId: emailFactor })).statusCode, 201);
      assert.equal((await verify(t, changeTxId, emailFactor, lastCode(t, org.email))).statusCode, 200);
      // One more sign-in left open, its transaction and binding live.
      const open = await call(t, 'POST', '/api/v1/sign-in', { email: org.email, password: NEW_PASSWORD, client: { kind: 'website' } });
      const openBinding = /twofold_tx=([^;]+)/.exec(String(open.headers['set-cookie']))![1]!;

      const secretBase32 = secretOf(totp.otpauthUri);
      const seedEncodings = [secretBase32, totp.seed.toString('hex'), totp.seed.toString('base64'), totp.seed.toString('base64url')];
      const tokens = [first.session!.token!, consoleToken, websiteToken, setup.id, consoleTx.id, websiteTxId, changeTxId, (open.json() as TransactionBody).id, binding, openBinding];
      const codes = t.outbox.flatMap((m) => [...m.text.matchAll(/\b(\d{6})\b/g)].map((match) => match[1]!));
      assert.ok(codes.length >= 5, `codes sent: ${codes.length}`);

      const values = await dumpDatabase();
      // The dump is real: it sees the member and the factor rows.
      assert.ok(values.includes(org.email));
      assert.ok(values.includes(totp.factorId));
      const haystack = values.join('\n');
      const lower = haystack.toLowerCase();
      for (const seed of seedEncodings) assert.ok(!lower.includes(seed.toLowerCase()), `the TOTP seed (${seed.length} chars) is in the database`);
      for (const token of tokens) assert.ok(!haystack.includes(token), 'a token or transaction id is in the database');
      for (const password of [PASSWORD, NEW_PASSWORD]) assert.ok(!haystack.includes(password), 'a password is in the database');
      for (const code of codes) {
        const found = values.filter((v) => new RegExp(`(^|[^0-9])${code}([^0-9]|$)`).test(v));
        assert.deepEqual(found, [], `a sent code is in the database`);
      }
      // And the stored seed is sealed: it opens only with the key, for its own factor.
      const stored = await t.ctx.db.selectFrom('factors').select('secret').where('id', '=', totp.factorId).executeTakeFirstOrThrow();
      assert.match(stored.secret ?? '', /^v1\./);
      assert.deepEqual(t.ctx.secretBox.open(stored.secret!, totp.factorId), totp.seed);
    });
  });
}

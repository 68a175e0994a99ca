/**
 * `GET /api/v1/me`: the signed-in member as the website and the console show them. Its answer is
 * serialized through its documented schema, so this checks the two agree: every field there, and a
 * technician's role `null` rather than coerced to a string. The guard reads the member's profile
 * with the session, in one query, and the answer is the one the profile read on its own gives.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { describeMe } from '../../src/services/members/describeMe.ts';
import { authenticateSession } from '../../src/services/sessions.ts';
import { call, createTestApp, engines, tokenFor, type TestApp } from '../support/harness.ts';
import { newId } from '../../src/crypto/tokens.ts';
import { generateTotpSeed } from '../../src/methods/totp.ts';
import { enrolTotp } from '../twoStep/_factors.ts';
import { addGroup, addMember, organizationWith, requiredTechnician } from '../twoStep/_fixtures.ts';

for (const engine of engines()) {
  describe(`GET /api/v1/me on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    test('a technician and the Master Account Holder, every field', async () => {
      const org = await organizationWith(t, {}, 'Me Support');
      const group = await addGroup(t, org);
      const technician = await addMember(t, org, { technicianGroupId: group });

      const mine = (await call(t, 'GET', '/api/v1/me', undefined, await tokenFor(t, technician.email))).json() as Record<string, unknown>;
      assert.deepEqual(mine, {
        id: technician.id, name: mine.name, email: technician.email, role: null, technicianGroupId: group,
        masterAccountHolder: false, organization: { id: org.organizationId, name: 'Me Support' },
        password: { mustChange: false, expiresAt: null, expiryNoticeDue: false, minimumStrength: 'good' },
        twoStepVerification: { required: false, setUp: false, mustSetUpAgain: false, factors: [], locked: false },
        allowedMethods: ['totp', 'sms', 'email'],
        language: null,
      });
      assert.equal(typeof mine.name, 'string');

      const master = (await call(t, 'GET', '/api/v1/me', undefined, org.masterToken)).json() as Record<string, unknown>;
      assert.equal(master.role, 'master_administrator');
      assert.equal(master.masterAccountHolder, true);
      assert.equal(master.technicianGroupId, null);

      // The policy a new password must meet, as the website's strength meter shows it.
      const policy = { minimumStrength: 'excellent', maximumAgeDays: 0, expiryNoticeDays: 14, adminChangeForcesChange: false };
      assert.equal((await call(t, 'PUT', '/api/v1/settings/password-policy', policy, org.masterToken)).statusCode, 200);
      const after = (await call(t, 'GET', '/api/v1/me', undefined, await tokenFor(t, technician.email))).json() as { password: { minimumStrength: string } };
      assert.equal(after.password.minimumStrength, 'excellent');
    });

    test('one query reads the session and the profile; the answer is the profile read on its own', async () => {
      const { member } = await requiredTechnician(t);
      const totp = await enrolTotp(t, member.email);
      // A second authenticator app, so the profile is two rows: one per factor.
      const first = await t.ctx.db.selectFrom('factors').selectAll().where('id', '=', totp.factorId).executeTakeFirstOrThrow();
      const secondId = newId();
      await t.ctx.db.insertInto('factors').values({
        ...first, id: secondId, label: 'Second phone', secret: t.ctx.secretBox.seal(generateTotpSeed(), secondId), last_step: null, created_at: first.created_at + 1,
      }).execute();
      const actor = await authenticateSession(t.ctx, totp.token, '127.0.0.1');
      assert.ok(actor);
      const onItsOwn = JSON.parse(JSON.stringify(await describeMe(t.ctx, actor)));

      const executor = t.ctx.db.getExecutor();
      const executeQuery = executor.executeQuery.bind(executor);
      const queries: string[] = [];
      executor.executeQuery = ((query: { sql: string }, ...rest: unknown[]) => {
        queries.push(query.sql);
        return (executeQuery as (...args: unknown[]) => unknown)(query, ...rest);
      }) as typeof executor.executeQuery;
      let me, factors;
      try {
        me = await call(t, 'GET', '/api/v1/me', undefined, totp.token);
        assert.equal(queries.length, 1, queries.join('\n'));
        factors = await call(t, 'GET', '/api/v1/me/factors', undefined, totp.token);
        assert.equal(queries.length, 2, queries.join('\n'));
      } finally {
        executor.executeQuery = executeQuery;
      }
      assert.equal(me.statusCode, 200, me.body);
      assert.deepEqual(me.json(), onItsOwn);
      assert.deepEqual(factors.json(), onItsOwn.twoStepVerification);
      assert.deepEqual(onItsOwn.twoStepVerification.factors.map((f: { id: string }) => f.id), [totp.factorId, secondId]);
    });
  });
}

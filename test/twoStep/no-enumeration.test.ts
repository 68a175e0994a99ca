/**
 * Threat: account enumeration at the password step. docs/security.md S24 (ASVS 6.3.8): unknown email,
 * wrong password and disabled member give the same answer and status,
 * on the website and the console alike. A locked password answers
 * `password_locked`, and so does an unknown email after as many wrong passwords: the lock tells no
 * account apart. Timing is equalised by the implementation (a dummy argon2id verification) and not
 * asserted here.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import type { LightMyRequestResponse } from 'fastify';
import { PASSWORD, call, createTestApp, engines, uniqueEmail, type TestApp } from '../support/harness.ts';
import { enrolTotp, signInExpecting, totpNow, verify } from './_factors.ts';
import { addGroup, addMember, expectProblem, organizationWith, setMemberEnabled } from './_fixtures.ts';

const CLIENTS = [{ kind: 'website' }, { kind: 'technician-console', version: '7.100.0' }, { kind: 'technician-console', version: '7.50.3572' }];

for (const engine of engines()) {
  describe(`no enumeration at sign-in on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    const signIn = (email: string, password: string, client: object) => call(t, 'POST', '/api/v1/sign-in', { email, password, client });

    /** Everything a caller can see of an answer, minus what differs per request anyway. */
    function visible(response: LightMyRequestResponse) {
      const { date: _date, 'content-length': _length, ...headers } = response.headers;
      return { status: response.statusCode, headers, body: response.json() as unknown };
    }

    test('unknown email, wrong password and disabled members get one answer; locked members and locked unknown emails another', async () => {
      const org = await organizationWith(t, { technicians: 'all' });
      const group = await addGroup(t, org);
      const wrongPassword = await addMember(t, org, { technicianGroupId: group });
      const disabled = await addMember(t, org, { technicianGroupId: group, enabled: false });
      const locked = await addMember(t, org, { technicianGroupId: group });
      for (let i = 0; i < 10; i++) expectProblem(await signIn(locked.email, 'Wrong-Horse-1', CLIENTS[0]!), 401, 'invalid_credentials');

      for (const client of CLIENTS) {
        const reference = visible(await signIn(uniqueEmail('nobody'), PASSWORD, client));
        assert.equal(reference.status, 401);
        assert.equal((reference.body as { code: string }).code, 'invalid_credentials');
        assert.equal(reference.headers['set-cookie'], undefined);
        const cases = {
          'wrong password': await signIn(wrongPassword.email, 'Wrong-Horse-1', client),
          'disabled, right password': await signIn(disabled.email, PASSWORD, client),
          'disabled, wrong password': await signIn(disabled.email, 'Wrong-Horse-1', client),
          'unknown, differently cased': await signIn(uniqueEmail('Nobody').toUpperCase(), PASSWORD, client),
        };
        for (const [name, response] of Object.entries(cases)) assert.deepEqual(visible(response), reference, `${name}, ${JSON.stringify(client)}`);

        // An unknown email locks after as many wrong passwords, and then answers as a locked member.
        const nobody = uniqueEmail('nobody');
        for (let i = 0; i < 10; i++) expectProblem(await signIn(nobody, 'Wrong-Horse-1', client), 401, 'invalid_credentials');
        const lockedReference = visible(await signIn(nobody, PASSWORD, client));
        assert.equal((lockedReference.body as { code: string }).code, 'password_locked');
        assert.deepEqual(visible(await signIn(locked.email, PASSWORD, client)), lockedReference, `locked, right password, ${JSON.stringify(client)}`);
        assert.deepEqual(visible(await signIn(locked.email, 'Wrong-Horse-1', client)), lockedReference, `locked, wrong password, ${JSON.stringify(client)}`);
      }
    });

    test('the password lock lasts its window, then the right password works again', async () => {
      const org = await organizationWith(t);
      const member = await addMember(t, org, { role: 'administrator' });
      for (let i = 0; i < 10; i++) await signIn(member.email, 'Wrong-Horse-1', CLIENTS[1]!);
      expectProblem(await signIn(member.email, PASSWORD, CLIENTS[1]!), 429, 'password_locked');
      t.clock.advance(15 * 60_000);
      const ok = await signIn(member.email, PASSWORD, CLIENTS[1]!);
      assert.equal(ok.statusCode, 200, ok.body);
    });

    test('a member disabled during the second step gets no session', async () => {
      const org = await organizationWith(t, { technicians: 'all' });
      const member = await addMember(t, org, { technicianGroupId: await addGroup(t, org) });
      const factor = await enrolTotp(t, member.email);
      const tx = await signInExpecting(t, member.email, 'verify');
      await setMemberEnabled(t, member.id, false);
      const refused = await verify(t, tx.id, factor.factorId, totpNow(t, factor.seed));
      expectProblem(refused, 401, 'invalid_credentials');
      assert.equal((refused.json() as { session?: unknown }).session, undefined);
      // And the session issued before is dead too.
      expectProblem(await call(t, 'GET', '/api/v1/me', undefined, factor.token), 401, 'unauthenticated');
    });
  });
}

/**
 * Rule: Global Settings → Two-step verification (docs/product-behaviour.md and
 * docs/two-step-verification.md "Global Settings → Two-step verification"): master
 * administrators only; a new organization requires nobody, primary TOTP, allowed TOTP, SMS and email;
 * push can be chosen like the others; the primary must be allowed
 * (`method_not_allowed`); email and SMS are marked as the weaker methods (docs/security.md S16–S17); every
 * change is audited with its before and after values, and a refused save changes nothing.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { call, createTestApp, engines, tokenFor, type TestApp } from '../support/harness.ts';
import { DEFAULT_SETTINGS, SETTINGS_URL, addGroup, addMember, expectProblem, organizationWith, type SettingsBody } from './_fixtures.ts';

const PREVIEW_URL = `${SETTINGS_URL}/preview`;

for (const engine of engines()) {
  describe(`two-step verification settings on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    const settingsOf = async (token: string): Promise<SettingsBody> => {
      const response = await call(t, 'GET', SETTINGS_URL, undefined, token);
      assert.equal(response.statusCode, 200, response.body);
      const { methods: _methods, ...settings } = response.json() as SettingsBody & { methods: unknown };
      return settings;
    };

    test('a new organization requires nobody, with TOTP first and SMS and email allowed', async () => {
      const org = await organizationWith(t);
      const response = await call(t, 'GET', SETTINGS_URL, undefined, org.masterToken);
      assert.equal(response.statusCode, 200, response.body);
      const body = response.json();
      assert.deepEqual(await settingsOf(org.masterToken), DEFAULT_SETTINGS);
      // Where the administrator chooses: push available and strong, SMS weaker, email the weakest.
      assert.equal(body.methods.push.available, true);
      assert.equal(body.methods.push.strength, 'strong');
      assert.equal(body.methods.totp.strength, 'strong');
      assert.equal(body.methods.sms.strength, 'weaker');
      assert.equal(body.methods.email.strength, 'weakest');
    });

    test('the primary must be allowed, and a refused save changes nothing', async () => {
      const org = await organizationWith(t);
      const refusals: Array<[Partial<SettingsBody>, number, string]> = [
        [{ primaryMethod: 'push', allowedMethods: ['totp', 'sms'] }, 400, 'method_not_allowed'],
        [{ primaryMethod: 'sms', allowedMethods: ['totp', 'email'] }, 400, 'method_not_allowed'],
        [{ primaryMethod: 'totp', allowedMethods: ['sms'] }, 400, 'method_not_allowed'],
        [{ allowedMethods: ['totp', 'totp'] }, 400, 'validation_failed'],
        [{ allowedMethods: [] }, 400, 'validation_failed'],
        [{ technicians: 'some' as 'all' }, 400, 'validation_failed'],
      ];
      for (const [changes, status, code] of refusals) {
        const body = { ...DEFAULT_SETTINGS, masterAdministrators: true, ...changes };
        expectProblem(await call(t, 'PUT', SETTINGS_URL, body, org.masterToken), status, code);
        expectProblem(await call(t, 'POST', PREVIEW_URL, body, org.masterToken), status, code);
      }
      expectProblem(await call(t, 'PUT', SETTINGS_URL, { ...DEFAULT_SETTINGS, extra: 1 }, org.masterToken), 400, 'validation_failed');
      assert.deepEqual(await settingsOf(org.masterToken), DEFAULT_SETTINGS);

      const saved = await call(t, 'PUT', SETTINGS_URL, { ...DEFAULT_SETTINGS, primaryMethod: 'email', allowedMethods: ['email'] }, org.masterToken);
      assert.equal(saved.statusCode, 200, saved.body);
      assert.deepEqual(saved.json().settings, { ...DEFAULT_SETTINGS, primaryMethod: 'email', allowedMethods: ['email'] });
      assert.deepEqual(await settingsOf(org.masterToken), saved.json().settings);
    });

    test('only master administrators see or change them', async () => {
      const org = await organizationWith(t);
      const administrator = await tokenFor(t, (await addMember(t, org, { role: 'administrator' })).email);
      const technician = await tokenFor(t, (await addMember(t, org, { technicianGroupId: await addGroup(t, org) })).email);
      const both = await tokenFor(t, (await addMember(t, org, { role: 'administrator', technicianGroupId: await addGroup(t, org) })).email);
      const change = { ...DEFAULT_SETTINGS, technicians: 'none', administrators: true };
      for (const token of [administrator, technician, both]) {
        expectProblem(await call(t, 'GET', SETTINGS_URL, undefined, token), 403, 'forbidden');
        expectProblem(await call(t, 'PUT', SETTINGS_URL, change, token), 403, 'forbidden');
        expectProblem(await call(t, 'POST', PREVIEW_URL, change, token), 403, 'forbidden');
      }
      assert.deepEqual(await settingsOf(org.masterToken), DEFAULT_SETTINGS);
      // A second master administrator may.
      const master = await tokenFor(t, (await addMember(t, org, { role: 'master_administrator' })).email);
      assert.equal((await call(t, 'PUT', SETTINGS_URL, change, master)).statusCode, 200);
    });

    test("another organization's settings are out of reach", async () => {
      const mine = await organizationWith(t);
      const theirs = await organizationWith(t);
      assert.equal((await call(t, 'PUT', SETTINGS_URL, { ...DEFAULT_SETTINGS, administrators: true }, mine.masterToken)).statusCode, 200);
      assert.deepEqual(await settingsOf(theirs.masterToken), DEFAULT_SETTINGS);
    });

    test('each save is audited with who, before and after', async () => {
      const org = await organizationWith(t);
      const next = { ...DEFAULT_SETTINGS, masterAdministrators: true, primaryMethod: 'sms' as const, allowedMethods: ['sms', 'totp'] as SettingsBody['allowedMethods'] };
      assert.equal((await call(t, 'PUT', SETTINGS_URL, next, org.masterToken)).statusCode, 200);
      const events = await t.ctx.db.selectFrom('audit_events').selectAll()
        .where('organization_id', '=', org.organizationId).where('entity_type', '=', 'settings').execute();
      assert.equal(events.length, 1);
      const event = events[0]!;
      assert.equal(event.actor_id, org.masterId);
      assert.equal(event.change_type, 'Change');
      assert.equal(event.at, t.clock.now().getTime());
      const details = JSON.parse(event.details ?? '{}');
      assert.deepEqual(details.before, DEFAULT_SETTINGS);
      assert.deepEqual(details.after, next);
      assert.equal(details.membersReset, 0);
      // A refused save leaves no trace.
      await call(t, 'PUT', SETTINGS_URL, { ...next, primaryMethod: 'push' }, org.masterToken);
      const after = await t.ctx.db.selectFrom('audit_events').select('id')
        .where('organization_id', '=', org.organizationId).where('entity_type', '=', 'settings').execute();
      assert.equal(after.length, 1);
    });
  });
}

/**
 * Global Settings → Two-step verification round trip: a client can send back what GET answered.
 * The read-only `methods` notes (SMS weaker, email weakest, push available) are accepted and
 * ignored by PUT and the preview, whatever they hold; they are never saved or audited, and any other
 * unknown property is still refused.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { call, createTestApp, engines, type TestApp } from '../support/harness.ts';
import { DEFAULT_SETTINGS, SETTINGS_URL, expectProblem, organizationWith, type SettingsBody } from './_fixtures.ts';

const PREVIEW_URL = `${SETTINGS_URL}/preview`;

type SettingsView = SettingsBody & { methods: Record<string, { available: boolean; strength: string; note: string }> };

for (const engine of engines()) {
  describe(`two-step verification settings round trip on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    const read = async (token: string): Promise<SettingsView> => {
      const response = await call(t, 'GET', SETTINGS_URL, undefined, token);
      assert.equal(response.statusCode, 200, response.body);
      return response.json<SettingsView>();
    };
    const settingsAudits = (organizationId: string) => t.ctx.db.selectFrom('audit_events').select('details')
      .where('organization_id', '=', organizationId).where('entity_type', '=', 'settings').execute();

    test('GET answers the settings and the notes on every method', async () => {
      const org = await organizationWith(t);
      const view = await read(org.masterToken);
      const { methods, ...settings } = view;
      assert.deepEqual(settings, DEFAULT_SETTINGS);
      assert.deepEqual(Object.keys(methods).sort(), ['email', 'push', 'sms', 'totp']);
      for (const note of Object.values(methods)) {
        assert.deepEqual(Object.keys(note).sort(), ['available', 'note', 'strength']);
        assert.ok(note.note.length > 0);
      }
      assert.deepEqual(
        Object.fromEntries(Object.entries(methods).map(([id, note]) => [id, [note.available, note.strength]])),
        { push: [true, 'strong'], totp: [true, 'strong'], sms: [true, 'weaker'], email: [true, 'weakest'] },
      );
    });

    test('what GET answered can be saved and previewed as it is, or with changes', async () => {
      const org = await organizationWith(t);
      const view = await read(org.masterToken);

      const preview = await call(t, 'POST', PREVIEW_URL, view, org.masterToken);
      assert.equal(preview.statusCode, 200, preview.body);
      assert.deepEqual(preview.json(), {
        membersRequired: 0, membersReset: 0, membersToSetUp: 0, membersMustSetUpAgain: 0,
        saverAffected: false, saverMustSetUp: false, saverSessionToSetUp: false, affectedMembers: { items: [], nextCursor: null },
      });

      const unchanged = await call(t, 'PUT', SETTINGS_URL, view, org.masterToken);
      assert.equal(unchanged.statusCode, 200, unchanged.body);
      assert.deepEqual(unchanged.json(), { settings: DEFAULT_SETTINGS, membersReset: 0 });

      const changed = { ...view, masterAdministrators: true, primaryMethod: 'sms' as const, allowedMethods: ['sms', 'totp'] as SettingsBody['allowedMethods'] };
      const saved = await call(t, 'PUT', SETTINGS_URL, changed, org.masterToken);
      assert.equal(saved.statusCode, 200, saved.body);
      const { methods: _sent, ...expected } = changed;
      assert.deepEqual(saved.json().settings, expected);
      assert.deepEqual(await read(org.masterToken), { ...expected, methods: view.methods });

      // The notes are not settings: neither the audit trail nor the store holds them.
      for (const event of await settingsAudits(org.organizationId)) {
        assert.doesNotMatch(String(event.details), /"methods"|weakest/);
      }
    });

    test('the notes are ignored whatever they hold, and cannot change what GET answers', async () => {
      const org = await organizationWith(t);
      const view = await read(org.masterToken);
      const tampered = { ...view, methods: { push: { available: true, strength: 'strong' }, fax: {} } };
      assert.equal((await call(t, 'POST', PREVIEW_URL, tampered, org.masterToken)).statusCode, 200);
      const saved = await call(t, 'PUT', SETTINGS_URL, { ...tampered, administrators: true }, org.masterToken);
      assert.equal(saved.statusCode, 200, saved.body);
      assert.deepEqual(saved.json().settings, { ...DEFAULT_SETTINGS, administrators: true });
      assert.deepEqual((await read(org.masterToken)).methods, view.methods);
    });

    test('any other unknown property is still refused, and a refused save changes nothing', async () => {
      const org = await organizationWith(t);
      const view = await read(org.masterToken);
      for (const url of [SETTINGS_URL, PREVIEW_URL]) {
        const method = url === SETTINGS_URL ? 'PUT' : 'POST';
        const refused = expectProblem(await call(t, method, url, { ...view, administrators: true, extra: 1 }, org.masterToken), 400, 'validation_failed');
        assert.deepEqual(refused.errors, [{ field: 'body', message: 'must NOT have additional properties', property: 'extra' }]);
        // `methods` is an object or absent; the settings themselves are judged as before.
        expectProblem(await call(t, method, url, { ...view, methods: 'weaker' }, org.masterToken), 400, 'validation_failed');
        expectProblem(await call(t, method, url, { ...view, primaryMethod: 'push', allowedMethods: ['totp'] }, org.masterToken), 400, 'method_not_allowed');
      }
      assert.deepEqual(await read(org.masterToken), view);
      assert.equal((await settingsAudits(org.organizationId)).length, 0);
    });
  });
}

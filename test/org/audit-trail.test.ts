// Threat: administrator changes that leave no trace, or a trail that shows one organization's
// events to another. The audit trail lists who did what to which entity, newest first. How long it is
// kept is each organization's choice, made by master administrators only, within bounds, audited.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { call, createOrgTestApp, engines, type TestApp } from './_setup.ts';
import { buildWorld, type World } from './world.ts';

interface Event { id: string; at: string; actor: { id: string | null; name: string }; entityType: string; entityId: string; entityName: string; changeType: string; details: Record<string, unknown> | null }
interface EventPage { items: Event[]; nextCursor: string | null }

for (const engine of engines()) {
  describe(`the audit trail on ${engine}`, () => {
    let t: TestApp;
    let w: World;
    before(async () => {
      t = await createOrgTestApp(engine);
      w = await buildWorld(t);
    });
    after(async () => t?.close());

    const read = async (query: string, token = w.mah.token): Promise<EventPage> => {
      const response = await call(t, 'GET', `/api/v1/audit-events${query}`, undefined, token);
      assert.equal(response.statusCode, 200, response.body);
      return response.json<EventPage>();
    };

    test('changes are listed newest first with who, what and before/after', async () => {
      t.clock.advance(1000);
      await call(t, 'PATCH', `/api/v1/members/${w.techA1.id}`, { technicianGroupId: w.groups.A }, w.adminA.token);
      const [latest] = (await read('?limit=1')).items;
      assert.deepEqual(
        { actor: latest!.actor, entityType: latest!.entityType, entityId: latest!.entityId, changeType: latest!.changeType, details: latest!.details },
        { actor: { id: w.adminA.id, name: 'adminA' }, entityType: 'technician', entityId: w.techA1.id, changeType: 'Move',
          details: { before: { technicianGroupId: w.groups.A1 }, after: { technicianGroupId: w.groups.A } } },
      );
      const all = (await read('?limit=200')).items;
      const times = all.map((e) => e.at);
      assert.deepEqual(times, [...times].sort().reverse());
    });

    test('events of the same millisecond come back newest first too', async () => {
      // The test clock stands still: three changes share one timestamp, and their ids order them.
      for (const description of ['first', 'second', 'third']) {
        const response = await call(t, 'PATCH', `/api/v1/technician-groups/${w.groups.A1}`, { description }, w.mah.token);
        assert.equal(response.statusCode, 200, response.body);
      }
      const latest = (await read(`?entityId=${w.groups.A1}&limit=3`)).items;
      assert.equal(new Set(latest.map((e) => e.at)).size, 1);
      assert.deepEqual(latest.map((e) => (e.details as { after?: { description?: string } } | null)?.after?.description), ['third', 'second', 'first']);
    });

    test('filters by entity and by the member who acted, and pages without gaps', async () => {
      const aboutTech = (await read(`?entityId=${w.techA1.id}`)).items;
      assert.ok(aboutTech.length >= 2 && aboutTech.every((e) => e.entityId === w.techA1.id));
      const byAdmin = (await read(`?memberId=${w.adminA.id}`)).items;
      assert.ok(byAdmin.length >= 1 && byAdmin.every((e) => e.actor.id === w.adminA.id));

      const all = (await read('?limit=200')).items.map((e) => e.id);
      const paged: string[] = [];
      let cursor: string | null = null;
      do {
        const page: EventPage = await read(`?limit=4${cursor ? `&cursor=${cursor}` : ''}`);
        paged.push(...page.items.map((e) => e.id));
        cursor = page.nextCursor;
      } while (cursor);
      assert.deepEqual(paged, all);
    });

    test('the Audit report filters by time, who, what and entity, pages through them, and shows before and after', async () => {
      t.clock.advance(60_000);
      const start = t.clock.now().toISOString();
      const renamed = await call(t, 'PATCH', `/api/v1/technician-groups/${w.groups.A1}`, { description: 'in the window' }, w.master.token);
      assert.equal(renamed.statusCode, 200, renamed.body);
      t.clock.advance(1000);
      await call(t, 'PATCH', `/api/v1/members/${w.techA1.id}`, { technicianGroupId: w.groups.A1 }, w.adminA.token);
      t.clock.advance(60_000);
      const end = t.clock.now().toISOString();
      t.clock.advance(1000);
      await call(t, 'PATCH', `/api/v1/technician-groups/${w.groups.A1}`, { description: 'after the window' }, w.master.token);

      const window = `from=${encodeURIComponent(start)}&to=${encodeURIComponent(end)}`;
      const inWindow = (await read(`?${window}&limit=200`)).items;
      assert.deepEqual(inWindow.map((e) => e.changeType), ['Move', 'Change']);
      const [change] = (await read(`?${window}&actorId=${w.master.id}&action=Change&entityType=technician_group&entityId=${w.groups.A1}`)).items;
      const entry = change as Event & { before: unknown; after: unknown };
      assert.equal((entry.before as { description?: string }).description, 'third');
      assert.equal((entry.after as { description?: string }).description, 'in the window');
      assert.equal((await read(`?${window}&actorId=${w.adminA.id}&action=Change`)).items.length, 0);
      const byWhat = (await read('?action=Move&limit=200')).items;
      assert.ok(byWhat.length >= 2 && byWhat.every((e) => e.changeType === 'Move'));
      const byType = (await read('?entityType=technician&limit=200')).items;
      assert.ok(byType.length >= 2 && byType.every((e) => e.entityType === 'technician'));
      const firstPage = await read(`?${window}&limit=1`);
      const secondPage = await read(`?${window}&limit=1&cursor=${firstPage.nextCursor}`);
      assert.deepEqual([...firstPage.items, ...secondPage.items].map((e) => e.id), inWindow.map((e) => e.id));
      assert.equal(secondPage.nextCursor, null);
      for (const query of ['?from=yesterday', '?to=2026-13-45T00:00:00Z', '?action=']) {
        const refused = await call(t, 'GET', `/api/v1/audit-events${query}`, undefined, w.mah.token);
        assert.deepEqual([refused.statusCode, refused.json<{ code: string }>().code], [400, 'validation_failed'], query);
      }
    });

    test('another organization\'s trail holds none of these events', async () => {
      const foreign = (await read('?limit=200', w.foreign.token)).items;
      assert.ok(foreign.length > 0);
      assert.ok(foreign.every((e) => e.entityId !== w.techA1.id && e.actor.id !== w.mah.id));
    });
    test('the organization chooses how long its trail is kept: a year until it does, 30 days to ten years', async () => {
      const settings = async (token: string) => call(t, 'GET', '/api/v1/organization/settings', undefined, token);
      assert.deepEqual((await settings(w.mah.token)).json(), { auditRetentionDays: 365, pushNumberDigits: 2 });
      for (const days of [29, 3651, 90.5, '90']) {
        const refused = await call(t, 'PATCH', '/api/v1/organization/settings', { auditRetentionDays: days }, w.master.token);
        assert.equal(refused.statusCode, 400, `${String(days)}: ${refused.body}`);
        assert.equal(refused.json<{ code: string }>().code, 'validation_failed');
      }
      for (const token of [w.adminA.token, w.tech.token]) {
        assert.equal((await settings(token)).json<{ code: string }>().code, 'forbidden');
        const refused = await call(t, 'PATCH', '/api/v1/organization/settings', { auditRetentionDays: 30 }, token);
        assert.deepEqual([refused.statusCode, refused.json<{ code: string }>().code], [403, 'forbidden']);
      }
      t.clock.advance(1000);
      const saved = await call(t, 'PATCH', '/api/v1/organization/settings', { auditRetentionDays: 90 }, w.master.token);
      assert.deepEqual([saved.statusCode, saved.json()], [200, { auditRetentionDays: 90, pushNumberDigits: 2 }]);
      assert.deepEqual((await settings(w.mah.token)).json(), { auditRetentionDays: 90, pushNumberDigits: 2 });
      assert.deepEqual((await settings(w.foreign.token)).json(), { auditRetentionDays: 365, pushNumberDigits: 2 });
      const [latest] = (await read('?limit=1')).items;
      assert.deepEqual(
        { actor: latest!.actor.id, entityType: latest!.entityType, changeType: latest!.changeType, details: latest!.details },
        { actor: w.master.id, entityType: 'settings', changeType: 'Change', details: { before: { auditRetentionDays: 365, pushNumberDigits: 2 }, after: { auditRetentionDays: 90, pushNumberDigits: 2 } } },
      );
      // Saving the same value again changes nothing and records nothing.
      t.clock.advance(1000);
      assert.equal((await call(t, 'PATCH', '/api/v1/organization/settings', { auditRetentionDays: 90 }, w.master.token)).statusCode, 200);
      assert.equal((await read('?limit=1')).items[0]!.id, latest!.id);
    });
  });
}

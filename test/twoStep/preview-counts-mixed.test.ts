/**
 * The Global Settings preview's counts and the report's buckets, on an organization mixing every
 * state they look at: enforcing and other groups, administrators, disabled members, members with no
 * factor, one, several of one method or of several, and factors that must not count (inactive, of the
 * previous epoch) or that lock. They are counted set-wise in the database; here each member is judged
 * one by one with the same pure rules, and both must agree.
 */
import { describe, test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createTestApp, engines, type TestApp } from '../support/harness.ts';
import { newId } from '../../src/crypto/tokens.ts';
import type { MethodId, TwoStepSettings } from '../../src/core/model.ts';
import { mustUseTwoStep } from '../../src/core/mustUseTwoStep.ts';
import { hasUsableFactor, mustSetUpAgain } from '../../src/core/switchedOff.ts';
import { countEnforcement, enforcementBuckets } from '../../src/services/twoStep/enforcementCounts.ts';
import { rolesOf } from '../../src/services/twoStep/memberTwoStep.ts';
import { addGroup, addMember, organizationWith } from './_fixtures.ts';

interface FactorSpec { type: MethodId; oldEpoch?: boolean; inactive?: boolean; lockedUntilReset?: boolean; lockedForMs?: number }

const FACTOR_SETS: FactorSpec[][] = [
  [],
  [{ type: 'totp' }],
  [{ type: 'sms' }],
  [{ type: 'totp' }, { type: 'email' }],
  [{ type: 'sms' }, { type: 'sms' }],
  [{ type: 'totp', oldEpoch: true }],
  [{ type: 'email', inactive: true }],
  [{ type: 'sms', lockedUntilReset: true }],
  [{ type: 'totp', lockedForMs: 60_000 }, { type: 'email' }],
  [{ type: 'push', lockedForMs: -60_000 }],
  [{ type: 'email', oldEpoch: true }, { type: 'sms' }],
];

const SETTINGS: Array<Pick<TwoStepSettings, 'masterAdministrators' | 'administrators' | 'technicians' | 'allowedMethods'>> = [
  { masterAdministrators: false, administrators: false, technicians: 'none', allowedMethods: ['totp', 'sms', 'email'] },
  { masterAdministrators: true, administrators: true, technicians: 'all', allowedMethods: ['totp', 'sms', 'email'] },
  { masterAdministrators: true, administrators: false, technicians: 'selected_groups', allowedMethods: ['totp', 'email'] },
  { masterAdministrators: false, administrators: true, technicians: 'selected_groups', allowedMethods: ['sms'] },
  { masterAdministrators: false, administrators: false, technicians: 'all', allowedMethods: ['email'] },
];

for (const engine of engines()) {
  describe(`the preview's counts on a mixed organization on ${engine}`, () => {
    let t: TestApp;
    before(async () => { t = await createTestApp({ engine }); });
    after(async () => { await t.close(); });

    test('are the counts of each member judged one by one, under every kind of settings', async () => {
      const org = await organizationWith(t);
      // Another organization's factors and members must not count.
      const other = await organizationWith(t, {}, 'Other Org');
      const { two_step_epoch: epoch } = await t.ctx.db.selectFrom('organizations').select('two_step_epoch')
        .where('id', '=', org.organizationId).executeTakeFirstOrThrow();
      const now = t.clock.now();
      const enforcing = await addGroup(t, org, true);
      const plain = await addGroup(t, org, false);
      const groups = new Map<string | null, boolean>([[enforcing, true], [plain, false], [null, false]]);

      const members: Array<{ role: 'administrator' | 'master_administrator' | null; groupId: string | null; enabled: boolean; factors: FactorSpec[] }> = [
        { role: 'master_administrator', groupId: null, enabled: true, factors: [] }, // the Master Account Holder
      ];
      let n = 0;
      for (const groupId of groups.keys()) {
        for (const role of [null, 'administrator'] as const) {
          if (groupId === null && role === null) continue; // every member is an administrator or a technician
          for (const factors of FACTOR_SETS) {
            members.push({ role, groupId, enabled: n++ % 5 !== 4, factors });
          }
        }
      }
      for (const [index, spec] of members.entries()) {
        const memberId = index === 0 ? org.masterId : (await addMember(t, org, { role: spec.role, technicianGroupId: spec.groupId, enabled: spec.enabled })).id;
        for (const factor of spec.factors) {
          await t.ctx.db.insertInto('factors').values({
            id: newId(), organization_id: org.organizationId, member_id: memberId, type: factor.type, label: 'mixed',
            epoch: factor.oldEpoch ? epoch - 1 : epoch, active: factor.inactive ? 0 : 1, failures: 0,
            locked_until_reset: factor.lockedUntilReset ? 1 : 0,
            locked_until: factor.lockedForMs === undefined ? null : now.getTime() + factor.lockedForMs, created_at: now.getTime(),
          }).execute();
        }
      }
      const outsider = await addMember(t, other, { technicianGroupId: await addGroup(t, other, true) });
      await t.ctx.db.insertInto('factors').values({
        id: newId(), organization_id: other.organizationId, member_id: outsider.id, type: 'totp', label: 'other',
        epoch, active: 1, failures: 0, locked_until_reset: 1, locked_until: null, created_at: now.getTime(),
      }).execute();

      const counting = (f: FactorSpec) => !f.oldEpoch && !f.inactive;
      const enabled = members.filter((m) => m.enabled);
      for (const settings of SETTINGS) {
        const expected = { required: 0, requiredWithoutSetup: 0, setUp: 0, mustSetUpAgain: 0, withFactors: 0 };
        for (const member of enabled) {
          const methods = [...new Set(member.factors.filter(counting).map((f) => f.type))];
          const required = mustUseTwoStep(rolesOf({ role: member.role, technician_group_id: member.groupId }), settings, groups.get(member.groupId)!);
          const setUp = hasUsableFactor(methods, settings.allowedMethods);
          if (setUp) expected.setUp += 1;
          if (methods.length > 0) expected.withFactors += 1;
          if (mustSetUpAgain({ required, methods }, settings.allowedMethods)) expected.mustSetUpAgain += 1;
          if (required) {
            expected.required += 1;
            if (!setUp) expected.requiredWithoutSetup += 1;
          }
        }
        assert.deepEqual(await countEnforcement(t.ctx.db, org.organizationId, settings, epoch), expected, JSON.stringify(settings));
      }

      // The report's buckets: members and locked members per group, and each bucket's methods.
      const buckets = await enforcementBuckets(t.ctx.db, org.organizationId, epoch, now);
      const perGroup = (groupId: string | null, pick: (m: (typeof members)[number]) => boolean) =>
        enabled.filter((m) => m.groupId === groupId && pick(m)).length;
      const locked = (m: (typeof members)[number]) => m.factors.some((f) => counting(f) && (f.lockedUntilReset || (f.lockedForMs ?? 0) > 0));
      for (const groupId of groups.keys()) {
        const mine = buckets.filter((b) => b.technicianGroupId === groupId);
        assert.equal(mine.reduce((sum, b) => sum + b.members, 0), perGroup(groupId, () => true));
        assert.equal(mine.filter((b) => b.locked).reduce((sum, b) => sum + b.members, 0), perGroup(groupId, locked));
        assert.ok(mine.every((b) => b.members > 0 && b.groupEnforces === groups.get(groupId)));
      }
      assert.equal(buckets.filter((b) => b.methods.join() === 'totp,email').reduce((sum, b) => sum + b.members, 0),
        enabled.filter((m) => [...new Set(m.factors.filter(counting).map((f) => f.type))].sort().join() === 'email,totp').length);
    });
  });
}

/**
 * Who must use two-step verification (docs/product-behaviour.md G1, G3, G4). Every combination of
 * role, technician license, the three settings and the group flag is checked against an independent
 * formulation: the list of reasons the member is selected, as an administrator would read the settings.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mustUseTwoStep } from '../../src/core/mustUseTwoStep.ts';
import type { Role, TechnicianScope } from '../../src/core/model.ts';

const roles: readonly (Role | null)[] = [null, 'master_administrator', 'administrator'];
const scopes: readonly TechnicianScope[] = ['none', 'all', 'selected_groups'];
const bools = [false, true] as const;

interface Row {
  role: Role | null;
  isTechnician: boolean;
  masterAdministrators: boolean;
  administrators: boolean;
  technicians: TechnicianScope;
  groupEnforces: boolean;
}

/** Why the settings select this member; empty when they do not. */
function reasons(r: Row): string[] {
  const why: string[] = [];
  if (r.role === 'master_administrator' && r.masterAdministrators) why.push('master administrators selected');
  if (r.role === 'administrator' && r.administrators) why.push('administrators selected');
  if (r.isTechnician && r.technicians === 'all') why.push('all technicians selected');
  if (r.isTechnician && r.technicians === 'selected_groups' && r.groupEnforces) why.push('group enforces');
  return why;
}

const rows: Row[] = [];
for (const role of roles)
  for (const isTechnician of bools)
    for (const masterAdministrators of bools)
      for (const administrators of bools)
        for (const technicians of scopes)
          for (const groupEnforces of bools)
            rows.push({ role, isTechnician, masterAdministrators, administrators, technicians, groupEnforces });

describe('mustUseTwoStep: every combination', () => {
  test('the table has 3 × 2 × 2 × 2 × 3 × 2 = 144 rows', () => {
    assert.equal(rows.length, 144);
    // Both answers occur often enough that a constant function could not pass.
    const yes = rows.filter((r) => reasons(r).length > 0).length;
    assert.ok(yes > 30 && yes < 114, `${yes} rows require two-step`);
  });

  for (const r of rows) {
    const expected = reasons(r).length > 0;
    test(`${JSON.stringify(r)} → ${expected}`, () => {
      const { role, isTechnician, groupEnforces, ...settings } = r;
      assert.equal(mustUseTwoStep({ role, isTechnician }, settings, groupEnforces), expected);
    });
  }
});

describe('mustUseTwoStep: rows spelled out', () => {
  const off = { masterAdministrators: false, administrators: false, technicians: 'none' } as const;
  const cases: Array<[string, Parameters<typeof mustUseTwoStep>, boolean]> = [
    ['nobody is selected by default', [{ role: 'master_administrator', isTechnician: true }, off, true], false],
    ['a master administrator when master administrators are selected',
      [{ role: 'master_administrator', isTechnician: false }, { ...off, masterAdministrators: true }, false], true],
    ['administrators selected do not select master administrators',
      [{ role: 'master_administrator', isTechnician: false }, { ...off, administrators: true }, false], false],
    ['master administrators selected do not select administrators',
      [{ role: 'administrator', isTechnician: false }, { ...off, masterAdministrators: true }, false], false],
    ['an administrator with a technician license, all technicians selected (step 3: either role)',
      [{ role: 'administrator', isTechnician: true }, { ...off, technicians: 'all' }, false], true],
    ['an administrator without a technician license is not a technician',
      [{ role: 'administrator', isTechnician: false }, { ...off, technicians: 'all' }, true], false],
    ['a technician in a group that enforces, selected groups',
      [{ role: null, isTechnician: true }, { ...off, technicians: 'selected_groups' }, true], true],
    ['a technician in a group that does not enforce, selected groups',
      [{ role: null, isTechnician: true }, { ...off, technicians: 'selected_groups' }, false], false],
    ['the group flag means nothing when technicians are "none"',
      [{ role: null, isTechnician: true }, off, true], false],
  ];
  for (const [name, args, expected] of cases) {
    test(name, () => assert.equal(mustUseTwoStep(...args), expected));
  }
});

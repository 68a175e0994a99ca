// The permission rule itself, without a database: the edges the HTTP matrix cannot reach — an
// action paired with the wrong kind of target, stale assignments, and descendants of descendants.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { authorize, managedGroupIds, type PermissionActor } from '../../src/core/permissions.ts';

const groups = [
  { id: 'A', parentId: null }, { id: 'A1', parentId: 'A' }, { id: 'A1x', parentId: 'A1' }, { id: 'B', parentId: null },
];
const admin: PermissionActor = { id: 'admin', organizationId: 'org', role: 'administrator', isMasterAccountHolder: false, managedGroupIds: managedGroupIds(['A'], groups) };
const master: PermissionActor = { id: 'master', organizationId: 'org', role: 'master_administrator', isMasterAccountHolder: false, managedGroupIds: new Set() };
const holder: PermissionActor = { ...master, id: 'holder', isMasterAccountHolder: true };
const technician = (groupId: string, id = 't') => ({ kind: 'member' as const, organizationId: 'org', id, role: null, technicianGroupId: groupId, isMasterAccountHolder: false });

test('an administrator manages their groups\' descendants at any depth, and nothing from a stale assignment', () => {
  assert.deepEqual([...managedGroupIds(['A', 'gone'], groups)].sort(), ['A', 'A1', 'A1x']);
  assert.equal(authorize(admin, 'member.update', technician('A1x')), true);
  assert.equal(authorize(admin, 'member.update', technician('B')), false);
});

test('no action reaches another organization, whatever the role', () => {
  for (const actor of [admin, master, holder]) {
    assert.equal(authorize(actor, 'member.read', { ...technician('A'), organizationId: 'other' }), false);
    assert.equal(authorize(actor, 'settings.read', { kind: 'organization', organizationId: 'other' }), false);
  }
});

test('an action paired with the wrong kind of target is denied', () => {
  assert.equal(authorize(master, 'settings.update', technician('A')), false);
  assert.equal(authorize(master, 'member.disable', { kind: 'organization', organizationId: 'org' }), false);
  assert.equal(authorize(master, 'group.create', { kind: 'technicianGroup', organizationId: 'org', id: 'A', parentId: null }), false);
});

test('the Master Account Holder is never deleted, disabled or demoted, and only they hand the role on', () => {
  const mah = { ...technician('A', 'holder'), role: 'master_administrator' as const, technicianGroupId: null, isMasterAccountHolder: true };
  for (const actor of [master, holder]) {
    assert.equal(authorize(actor, 'member.delete', mah), false);
    assert.equal(authorize(actor, 'member.disable', mah), false);
    assert.equal(authorize(actor, 'member.updateRole', mah), false);
  }
  assert.equal(authorize(master, 'member.update', mah), false);
  assert.equal(authorize(holder, 'member.update', mah), true);
  assert.equal(authorize(master, 'organization.transferOwnership', { kind: 'organization', organizationId: 'org' }), false);
  assert.equal(authorize(holder, 'organization.transferOwnership', { kind: 'organization', organizationId: 'org' }), true);
});

test('an administrator moves technicians only between groups they manage', () => {
  assert.equal(authorize(admin, 'member.move', { ...technician('A1'), newTechnicianGroupId: 'A1x' }), true);
  assert.equal(authorize(admin, 'member.move', { ...technician('A1'), newTechnicianGroupId: 'B' }), false);
  assert.equal(authorize(admin, 'member.move', { ...technician('A1'), newTechnicianGroupId: null }), false);
});

test('a member is deleted by whoever may disable them, and never by themselves', () => {
  assert.equal(authorize(admin, 'member.delete', technician('A1x')), true);
  assert.equal(authorize(admin, 'member.delete', technician('B')), false);
  assert.equal(authorize(admin, 'member.delete', { ...technician('A1'), role: 'administrator' }), false);
  assert.equal(authorize(master, 'member.delete', { ...technician('A1', 'other'), role: 'master_administrator' }), true);
  assert.equal(authorize(admin, 'member.delete', { ...technician('A1', 'admin') }), false);
  assert.equal(authorize(master, 'member.delete', { ...technician('B', 'master'), role: 'master_administrator' }), false);
});

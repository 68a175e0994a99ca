/**
 * The Organization Tree without a browser: its rows from lazily loaded branches (three sections,
 * groups under their parents, a group's technicians after its subgroups, a loading row where a
 * branch has more), a search answer drawn under the hits' paths, the branch store's keyset paging
 * and refreshes, and which actions each viewer is offered on each row.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { BranchStore, ROOT, type Fetchers } from '../../web/src/features/admin/tree/branchStore.ts';
import { acceptsDrop, canReset, menuActions, moveKind } from '../../web/src/features/admin/tree/treeActions.ts';
import { buildSearchTree, buildTree, findRow, pathTo, type TreeRow } from '../../web/src/features/admin/tree/treeModel.ts';
import type { MemberRow, Page, SearchHit, TreeAdministrators, TreeGroup } from '../../web/src/features/admin/tree/treeApi.ts';

const group = (id: string, groupCount = 0, memberCount = 0): TreeGroup => ({ id, name: `Group ${id}`, parentId: null, enforceTwoStep: false, groupCount, memberCount });
const member = (id: string, role: MemberRow['role'] = null, required = false) =>
  ({ id, name: `Member ${id}`, role, technicianGroupId: 'g', twoStepVerification: { required } } as unknown as MemberRow);
const names = { masters: 'Master Administrators', administrators: 'Administrators', technicians: 'Technicians' };
type Shape = string | { [key: string]: Shape[] };
const shape = (rows: readonly TreeRow[]): Shape[] => rows.map((row) => (row.children.length > 0 || row.more
  ? { [row.key]: row.more ? [...shape(row.children), row.more.loading ? 'loading' : 'more'] : shape(row.children) }
  : row.key));
const technicians = (rows: readonly TreeRow[]) => (shape(rows).at(-1) as Record<string, Shape[]>)['section:technicians'];

const administrators: TreeAdministrators = {
  masterAdministrators: [{ id: 'm', name: 'Mara', email: 'm@x' }],
  administratorGroups: [{ id: 'ag', name: 'Admins North', administrators: [{ id: 'x', name: 'Xavier', email: 'x@x' }], technicianGroups: [{ id: 'a', name: 'Group a' }] }],
  unassignedAdministrators: [{ id: 'y', name: 'Yolanda', email: 'y@x' }],
};

/** Fetchers answering from fixed lists, `size` rows a page, counting their calls. */
function fakeFetchers(groups: Record<string, TreeGroup[]>, members: Record<string, MemberRow[]>, size = 2) {
  const calls: string[] = [];
  const page = <T>(list: T[], cursor: string | null): Page<T> => {
    const start = cursor ? Number(cursor) : 0;
    const next = start + size < list.length ? String(start + size) : null;
    return { items: list.slice(start, start + size), nextCursor: next };
  };
  const fetchers: Fetchers = {
    groups: async (parentId, cursor) => { calls.push(`groups ${parentId ?? 'root'} ${cursor ?? '-'}`); return page(groups[parentId ?? ROOT] ?? [], cursor); },
    members: async (groupId, cursor) => { calls.push(`members ${groupId} ${cursor ?? '-'}`); return page(members[groupId] ?? [], cursor); },
  };
  return { fetchers, calls };
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

test('a branch loads when opened, subgroups first, then technicians, a keyset page at a time', async () => {
  const { fetchers, calls } = fakeFetchers({ [ROOT]: [group('a', 1, 3), group('b')], a: [group('a1')] }, { a: [member('t1'), member('t2'), member('t3')] });
  const store = new BranchStore(fetchers);
  const tree = () => buildTree({ sectionNames: names, showMasters: true, administrators, branch: (id) => store.get(id) });
  assert.deepEqual(technicians(tree()), ['loading'], 'the root is not loaded before it is opened');
  store.open(ROOT);
  await settle();
  assert.deepEqual(shape(tree()), [
    { 'section:masters': ['master:m'] },
    { 'section:administrators': [{ 'administrator-group:ag': ['admin:x', 'assigned:ag:a'] }, 'admin:y'] },
    { 'section:technicians': ['group:a', 'group:b'] },
  ]);
  assert.equal(findRow(tree(), 'group:a')?.expandable, true, 'a group with children shows its chevron before they load');
  assert.equal(findRow(tree(), 'group:b')?.expandable, false, 'an empty group has no chevron');
  store.open('a', { groupCount: 1, memberCount: 3 });
  await settle();
  assert.deepEqual(technicians(tree()), [{ 'group:a': ['group:a1', 'member:t1', 'member:t2', 'more'] }, 'group:b']);
  await store.loadMore('a');
  assert.deepEqual(technicians(tree()), [{ 'group:a': ['group:a1', 'member:t1', 'member:t2', 'member:t3'] }, 'group:b']);
  store.open('b', { groupCount: 0, memberCount: 0 });
  await settle();
  assert.deepEqual(calls, ['groups root -', 'members a -', 'groups a -', 'members a 2'], 'an empty branch is never asked for, nor the root\'s technicians');
});

test('a branch with many subgroups shows its technicians only after the last subgroup page', async () => {
  const { fetchers, calls } = fakeFetchers({ [ROOT]: [group('g', 3, 1)], g: [group('g1'), group('g2'), group('g3')] }, { g: [member('t1')] });
  const store = new BranchStore(fetchers);
  const rows = () => buildTree({ sectionNames: names, showMasters: false, administrators: undefined, branch: (id) => store.get(id) });
  store.open(ROOT);
  await settle();
  store.open('g', { groupCount: 3, memberCount: 1 });
  await settle();
  assert.deepEqual(calls, ['groups root -', 'members g -', 'groups g -'], 'the first pages of both are asked together');
  assert.deepEqual(technicians(rows()), [{ 'group:g': ['group:g1', 'group:g2', 'more'] }]);
  await store.loadMore('g');
  assert.deepEqual(technicians(rows()), [{ 'group:g': ['group:g1', 'group:g2', 'group:g3', 'member:t1'] }]);
  assert.deepEqual(calls, ['groups root -', 'members g -', 'groups g -', 'groups g 2']);
});

test('a row moved between two open branches appears once while both reload', async () => {
  const { fetchers } = fakeFetchers({ [ROOT]: [group('a', 0, 1), group('b', 0, 1)] }, { a: [member('t')], b: [member('t')] });
  const store = new BranchStore(fetchers);
  store.open(ROOT);
  await settle();
  store.open('a');
  store.open('b');
  await settle();
  await settle();
  const rows = buildTree({ sectionNames: names, showMasters: false, administrators: undefined, branch: (id) => store.get(id) });
  assert.deepEqual(technicians(rows), [{ 'group:a': ['member:t'] }, 'group:b']);
});

test('a refresh reloads a branch from its first page, and an answer it overtakes is dropped', async () => {
  let release: (() => void) | undefined;
  const lists: Record<string, TreeGroup[]> = { [ROOT]: [group('a')] };
  const store = new BranchStore({
    groups: async (parentId) => {
      const list = [...(lists[parentId ?? ROOT] ?? [])];
      if (list.length === 1) await new Promise<void>((resolve) => { release = resolve; });
      return { items: list, nextCursor: null };
    },
    members: async () => ({ items: [], nextCursor: null }),
  });
  store.open(ROOT);
  lists[ROOT] = [group('a'), group('new')];
  store.refresh([ROOT]);
  await settle();
  assert.deepEqual(store.get(ROOT)?.groups.map((g) => g.id), ['a', 'new']);
  release?.();
  await settle();
  assert.deepEqual(store.get(ROOT)?.groups.map((g) => g.id), ['a', 'new'], 'the overtaken first load does not come back');
  store.refreshOpen(new Set([ROOT]));
  await settle();
  assert.deepEqual(store.loadedIds(), [ROOT]);
});

test('technicians show whether two-step verification is required for them', async () => {
  const store = new BranchStore(fakeFetchers({ [ROOT]: [group('g', 0, 2)] }, { g: [member('dual', 'administrator', true), member('t')] }).fetchers);
  store.open(ROOT);
  store.open('g');
  await settle();
  await settle();
  const rows = buildTree({ sectionNames: names, showMasters: false, administrators: undefined, branch: (id) => store.get(id) });
  assert.deepEqual(shape(rows), [{ 'section:administrators': ['loading'] }, { 'section:technicians': [{ 'group:g': ['member:dual', 'member:t'] }] }]);
  const dual = findRow(rows, 'member:dual')!;
  assert.ok(dual.item.type === 'member' && dual.item.required && dual.item.role === 'administrator');
});

test('a search answer as a tree: each hit under its path (a group\'s ends at its parent), all open', () => {
  const hits: SearchHit[] = [
    { kind: 'group', id: 'a1', name: 'Tier 1', email: null, path: [{ id: 'a', name: 'Support' }] },
    { kind: 'member', id: 't', name: 'Tina', email: 't@x', path: [{ id: 'a', name: 'Support' }, { id: 'a1', name: 'Tier 1' }] },
    { kind: 'member', id: 'y', name: 'Tiago Admin', email: 'y@x', path: [] },
  ];
  const { rows, expand } = buildSearchTree(hits, 'Technicians');
  assert.deepEqual(shape(rows), ['member:y', { 'section:technicians': [{ 'group:a': [{ 'group:a1': ['member:t'] }] }] }]);
  assert.deepEqual(expand.sort(), ['group:a', 'group:a1', 'section:technicians']);
  assert.deepEqual(pathTo(rows, 'member:t').map((row) => row.key), ['section:technicians', 'group:a', 'group:a1', 'member:t']);
  assert.deepEqual(buildSearchTree([], 'Technicians').rows, []);
});

test('the context menu, moves and resets offered by the viewer\'s role and the row', async () => {
  const store = new BranchStore(fakeFetchers({ [ROOT]: [group('a', 1, 2)], a: [group('a1')] }, { a: [member('t'), member('dual', 'administrator')] }, 10).fetchers);
  store.open(ROOT);
  store.open('a');
  await settle();
  await settle();
  const rows = buildTree({ sectionNames: names, showMasters: true, administrators, branch: (id) => store.get(id) });
  const row = (key: string) => findRow(rows, key)!;
  const master = { id: 'm', isMaster: true };
  const admin = { id: 'x', isMaster: false };
  assert.deepEqual(menuActions(row('section:masters'), master), ['createMaster']);
  assert.deepEqual(menuActions(row('section:administrators'), master), ['createAdministratorGroup', 'createAdministrator']);
  assert.deepEqual(menuActions(row('section:technicians'), master), ['createGroup']);
  assert.deepEqual(menuActions(row('administrator-group:ag'), master), ['createAdministrator']);
  assert.deepEqual(menuActions(row('group:a'), master), ['createGroup', 'createTechnician', 'moveTo']);
  assert.deepEqual(menuActions(row('member:t'), master), ['moveTo', 'forceReset']);
  assert.deepEqual(menuActions(row('admin:x'), master), ['assignTo', 'forceReset']);
  assert.deepEqual(menuActions(row('master:m'), master), [], 'nothing on oneself');
  // An administrator: nothing above their groups, no moving their assigned (root) group, only technicians.
  assert.deepEqual(menuActions(row('section:technicians'), admin), []);
  assert.deepEqual(menuActions(row('group:a'), admin), ['createGroup', 'createTechnician']);
  assert.deepEqual(menuActions(row('group:a1'), admin), ['createGroup', 'createTechnician', 'moveTo']);
  assert.deepEqual(menuActions(row('member:t'), admin), ['moveTo', 'forceReset']);
  assert.deepEqual(menuActions(row('member:dual'), admin), [], 'an administrator who is also a technician is out of an administrator\'s reach');
  assert.equal(canReset(row('admin:x'), admin), false);
  assert.equal(moveKind(row('admin:x'), admin), null);
  assert.equal(acceptsDrop(row('group:a1'), [row('member:t')], admin), true);
  assert.equal(acceptsDrop(row('group:a'), [row('group:a')], master), false, 'not onto itself');
  assert.equal(acceptsDrop(row('member:t'), [row('group:a1')], master), false, 'only onto a technician group');
  assert.equal(acceptsDrop(row('group:a1'), [row('member:dual')], admin), false);
});

test('a branch whose load fails is marked failed, is not asked again on its own, and loads on retry', async () => {
  let failing = true;
  const calls: string[] = [];
  const store = new BranchStore({
    groups: async (parentId) => ({ items: parentId === null ? [group('g', 0, 1)] : [], nextCursor: null }),
    members: async (groupId) => {
      calls.push(groupId);
      if (failing) throw new Error('busy');
      return { items: [member('t')], nextCursor: null };
    },
  });
  const rows = () => buildTree({ sectionNames: names, showMasters: false, administrators: undefined, branch: (id) => store.get(id) });
  store.open(ROOT);
  await settle();
  store.open('g', { groupCount: 0, memberCount: 1 });
  await settle();
  assert.deepEqual(store.failures().map((failure) => failure.id), ['g']);
  assert.deepEqual(findRow(rows(), 'group:g')?.more, { branchId: 'g', loading: false, failed: true });
  await store.loadMore(ROOT);
  assert.deepEqual(calls, ['g'], 'nothing is asked again until a retry');
  failing = false;
  store.retryFailed();
  await settle();
  assert.deepEqual(store.failures(), []);
  assert.deepEqual(technicians(rows()), [{ 'group:g': ['member:t'] }]);
  assert.deepEqual(calls, ['g', 'g']);
});

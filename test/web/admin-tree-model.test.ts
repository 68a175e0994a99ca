/**
 * The Organization Tree's rows, without a browser: the three sections, groups under their parents,
 * a group's technicians only once loaded (a loading row meanwhile), and a search that keeps the
 * matching names with the branches leading to them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTree, filterTree, type TreeRow } from '../../web/src/features/admin/tree/treeModel.ts';
import type { GroupNode, MemberRow } from '../../web/src/features/admin/tree/treeApi.ts';

const group = (id: string, parentId: string | null): GroupNode => ({ id, name: `Group ${id}`, parentId, enforceTwoStep: false, groupCount: 0 });
const member = (id: string, name: string) => ({ id, name } as unknown as MemberRow);
const names = { masters: 'Master Administrators', administrators: 'Administrators', technicians: 'Technicians' };
const shape = (rows: readonly TreeRow[]): unknown => rows.map((row) => (row.children.length > 0 || row.loading
  ? { [row.key]: row.loading ? [...(shape(row.children) as unknown[]), 'loading'] : shape(row.children) }
  : row.key));

const input = {
  sectionNames: names,
  groups: [group('a', null), group('a1', 'a'), group('b', null)],
  administrators: {
    masterAdministrators: [member('m', 'Mara')],
    administratorGroups: [{ id: 'g', name: 'Admins North', parentId: null }],
    administratorsByGroup: new Map([['g', [member('x', 'Xavier')]], ['', [member('y', 'Yolanda')]]]),
  },
  membersByGroup: new Map<string, readonly MemberRow[] | 'loading'>([['a', [member('t1', 'Tina')]], ['b', 'loading']]),
};

test('sections, nested groups, loaded technicians and a loading row for a branch being fetched', () => {
  assert.deepEqual(shape(buildTree(input)), [
    { 'section:masters': ['member:m'] },
    { 'section:administrators': [{ 'administrator-group:g': ['member:x'] }, 'member:y'] },
    { 'section:technicians': [{ 'group:a': ['group:a1', 'member:t1'] }, { 'group:b': ['loading'] }] },
  ]);
  const technicians = buildTree(input)[2]!;
  assert.ok(technicians.children.every((row) => row.expandable), 'a group shows its chevron before its technicians load');
});

test('a search keeps the matches and the branches to them, and opens those branches', () => {
  const { rows, expand } = filterTree(buildTree(input), 'tin');
  assert.deepEqual(shape(rows), [{ 'section:technicians': [{ 'group:a': ['member:t1'] }] }]);
  assert.deepEqual(expand.sort(), ['group:a', 'section:technicians']);
  assert.deepEqual(filterTree(buildTree(input), 'nobody').rows, []);
  // Section headings are not results of their own: "Administrators" matches the group, not the section.
  assert.deepEqual(shape(filterTree(buildTree(input), 'admins').rows), [{ 'section:administrators': ['administrator-group:g'] }]);
});

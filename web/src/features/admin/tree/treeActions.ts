/**
 * What the viewer may do with a row of the Organization Tree, decided from the row alone, so the
 * context menu, drag and drop and the selection's toolbar offer only what the server would allow.
 * The server still judges every request: these rules only keep the page from offering the impossible.
 */
import type { CreateTarget } from './treeWrites.ts';
import type { TreeRow } from './treeModel.ts';

export interface Viewer {
  readonly id: string;
  readonly isMaster: boolean;
}

export type MenuAction = 'createGroup' | 'createAdministratorGroup' | 'createTechnician' | 'createAdministrator' | 'createMaster' | 'moveTo' | 'assignTo' | 'forceReset';

/** A member row whose two-step verification the viewer may reset: never their own; an administrator only a technician's. */
export function canReset(row: TreeRow, viewer: Viewer): boolean {
  const { item } = row;
  if (item.type !== 'member' || item.id === viewer.id) return false;
  // A search hit does not say the role (`undefined`): offered, and the server's answer counts it as refused if need be.
  return viewer.isMaster || (item.placement === 'technician' && item.role !== 'administrator' && item.role !== 'master_administrator');
}

/** Whether the row may be moved to another technician group (a technician or a group), or assigned to one (an administrator). */
export function moveKind(row: TreeRow, viewer: Viewer): 'move' | 'assign' | null {
  const { item } = row;
  if (item.type === 'group') return viewer.isMaster || item.parentId !== null ? 'move' : null;
  if (item.type !== 'member') return null;
  if (item.placement === 'administrator') return viewer.isMaster && item.role === 'administrator' ? 'assign' : null;
  if (item.placement !== 'technician') return null;
  if (viewer.isMaster) return 'move';
  return item.role === null || item.role === undefined ? 'move' : null;
}

/** The context menu of a row, by the viewer's role and the row's kind, in the reference product's order. */
export function menuActions(row: TreeRow, viewer: Viewer): MenuAction[] {
  const { item } = row;
  const actions: MenuAction[] = [];
  switch (item.type) {
    case 'section':
      if (!viewer.isMaster) break;
      if (item.section === 'masters') actions.push('createMaster');
      if (item.section === 'administrators') actions.push('createAdministratorGroup', 'createAdministrator');
      if (item.section === 'technicians') actions.push('createGroup');
      break;
    case 'administrator-group':
      if (viewer.isMaster) actions.push('createAdministrator');
      break;
    case 'group':
      // Every group in an administrator's tree is one they manage: they create below it.
      actions.push('createGroup', 'createTechnician');
      break;
    default:
      break;
  }
  const move = moveKind(row, viewer);
  if (move) actions.push(move === 'move' ? 'moveTo' : 'assignTo');
  if (canReset(row, viewer)) actions.push('forceReset');
  return actions;
}

/** The keys a drop onto `target` would move: all movable, and the target a technician group that is none of them. */
export function acceptsDrop(target: TreeRow | null, dragged: readonly TreeRow[], viewer: Viewer): boolean {
  if (!target || target.item.type !== 'group' || dragged.length === 0) return false;
  const targetId = target.item.id;
  return dragged.every((row) => moveKind(row, viewer) !== null && !(row.item.type === 'group' && row.item.id === targetId));
}

/** The dialog a menu action opens. */
export type Dialog =
  | { readonly type: 'create'; readonly target: CreateTarget }
  | { readonly type: 'move'; readonly row: TreeRow }
  | { readonly type: 'reset'; readonly rows: readonly TreeRow[] };

/** What a menu action on `row` opens; a reset takes `resetRows` (the selection, when the row is in it). */
export function dialogFor(row: TreeRow, action: MenuAction, resetRows: readonly TreeRow[]): Dialog {
  const id = row.target?.id ?? null;
  const inGroup = row.item.type === 'group';
  const inAdministratorGroup = row.item.type === 'administrator-group';
  switch (action) {
    case 'createGroup':
      return { type: 'create', target: { kind: 'group', parentId: inGroup ? id : null, parentName: inGroup ? row.name : null } };
    case 'createAdministratorGroup':
      return { type: 'create', target: { kind: 'administrator-group', parentId: null, parentName: null } };
    case 'createTechnician':
      return { type: 'create', target: { kind: 'technician', parentId: id, parentName: row.name } };
    case 'createAdministrator':
      return { type: 'create', target: { kind: 'administrator', parentId: inAdministratorGroup ? id : null, parentName: inAdministratorGroup ? row.name : null } };
    case 'createMaster':
      return { type: 'create', target: { kind: 'master', parentId: null, parentName: null } };
    case 'moveTo':
    case 'assignTo':
      return { type: 'move', row };
    case 'forceReset':
      return { type: 'reset', rows: resetRows };
  }
}

/** Member rows once each: an administrator who is also a technician may be shown twice. */
export function uniqueMembers(rows: readonly TreeRow[]): TreeRow[] {
  const seen = new Set<string>();
  return rows.filter((row) => {
    const id = row.target?.id ?? row.key;
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

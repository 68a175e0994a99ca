/**
 * A row's context menu, where the pointer was right-clicked or below the row for the context menu
 * key and Shift+F10. It lists only what the viewer may do with that row (treeActions.ts); Escape or
 * a click elsewhere closes it and the focus goes back where it was.
 */
import { useRef } from 'react';
import { Menu, MenuItem, Popover } from 'react-aria-components';
import { useT } from '../../../i18n/I18n.tsx';
import type { MessageId } from '../../../i18n/messages.ts';
import { menuActions, type MenuAction, type Viewer } from './treeActions.ts';
import type { TreeRow } from './treeModel.ts';

const LABELS: Record<MenuAction, MessageId> = {
  createGroup: 'adminTree.menu.createGroup',
  createAdministratorGroup: 'adminTree.menu.createGroup',
  createTechnician: 'adminTree.menu.createTechnician',
  createAdministrator: 'adminTree.menu.createAdministrator',
  createMaster: 'adminTree.menu.createMaster',
  moveTo: 'adminTree.menu.moveTo',
  assignTo: 'adminTree.menu.assignTo',
  forceReset: 'adminTree.menu.forceReset',
};

interface Props {
  readonly row: TreeRow;
  readonly viewer: Viewer;
  readonly x: number;
  readonly y: number;
  readonly onAction: (row: TreeRow, action: MenuAction) => void;
  readonly onClose: () => void;
}

export function TreeContextMenu({ row, viewer, x, y, onAction, onClose }: Props) {
  const t = useT();
  const anchor = useRef<HTMLSpanElement>(null);
  const actions = menuActions(row, viewer);
  if (actions.length === 0) return null;
  return (
    <>
      <span ref={anchor} className="tree-menu-anchor" style={{ left: x, top: y }} />
      <Popover triggerRef={anchor} isOpen onOpenChange={(isOpen) => { if (!isOpen) onClose(); }} placement="bottom start" className="popover tree-menu-popover">
        <Menu aria-label={t('adminTree.menu.label', { name: row.name })} className="menu" autoFocus="first" onAction={(key) => onAction(row, key as MenuAction)}>
          {actions.map((action) => <MenuItem key={action} id={action} className="menu-item">{t(LABELS[action])}</MenuItem>)}
        </Menu>
      </Popover>
    </>
  );
}

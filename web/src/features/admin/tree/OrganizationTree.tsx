/**
 * The Organization Tree: React Aria's Tree in a Virtualizer (only the rows in view are in the page).
 * Arrows move, Right and Left open and close, Home and End go to the ends, typing a name's first
 * letters goes to it; Ctrl and Shift select several rows, and one selected row opens in the Workspace.
 * A branch loads when first opened, a page at a time as its end scrolls into view. The search answers
 * while typing, as a tree of the hits under their groups. Right-click, the context menu key or
 * Shift+F10 opens a row's menu; rows move by drag and drop or by "Move to…".
 */
import { useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import {
  Button, Collection, Input, Label, ListLayout, SearchField, Tree, TreeItem, TreeItemContent, TreeLoadMoreItem, Virtualizer,
  isTextDropItem, useDragAndDrop, type Key, type Selection,
} from 'react-aria-components';
import { navigate } from '../../../app/router.ts';
import { ErrorAlert, Notice } from '../../../components/Alert.tsx';
import { SecondaryButton } from '../../../components/Buttons.tsx';
import { useT } from '../../../i18n/I18n.tsx';
import { errorMessage } from '../../../i18n/errors.ts';
import { useMe } from '../../account/queries.ts';
import { nodePath } from '../paths.ts';
import { CreateDialog } from './CreateDialog.tsx';
import { MoveDialog } from './MoveDialog.tsx';
import { ResetDialog } from './ResetDialog.tsx';
import { TreeContextMenu } from './TreeContextMenu.tsx';
import { acceptsDrop, canReset, dialogFor, moveKind, uniqueMembers, type Dialog, type MenuAction, type Viewer } from './treeActions.ts';
import { SECTION_KEYS, buildSearchTree, buildTree, findRow, pathTo, type TreeRow } from './treeModel.ts';
import { moveRow } from './treeWrites.ts';
import { useBranches, useRefreshAfterWrite, useTreeAdministrators, useTreeSearch } from './useTreeData.ts';
import './tree.css';

const ROW_HEIGHT = 34;
const ROW_DRAG_TYPE = 'application/x-twofold-tree-row';

const groupIdOf = (key: Key): string | null => (String(key).startsWith('group:') ? String(key).slice('group:'.length) : null);
const rowKeyOf = (element: Element | null): string | null => element?.closest('[role="row"][data-key]')?.getAttribute('data-key') ?? null;

export function OrganizationTree({ isMaster, currentKey }: { isMaster: boolean; currentKey: string | null }) {
  const t = useT();
  const me = useMe();
  const viewer: Viewer = { id: me.data?.id ?? '', isMaster };
  const [expanded, setExpanded] = useState<Set<Key>>(() => new Set([SECTION_KEYS.masters, SECTION_KEYS.administrators, SECTION_KEYS.technicians]));
  const openGroupIds = useMemo(() => new Set([...expanded].flatMap((key) => groupIdOf(key) ?? [])), [expanded]);
  const store = useBranches(openGroupIds);
  const administrators = useTreeAdministrators();
  const refreshAfterWrite = useRefreshAfterWrite();
  const [query, setQuery] = useState('');
  const search = useTreeSearch(query);
  const [selected, setSelected] = useState<Selection>(() => new Set());
  const [menu, setMenu] = useState<{ row: TreeRow; x: number; y: number } | null>(null);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const treeRef = useRef<HTMLDivElement>(null);

  const rows = buildTree({
    sectionNames: { masters: t('admin.tree.masterAdministrators'), administrators: t('admin.tree.administrators'), technicians: t('admin.tree.technicians') },
    showMasters: isMaster,
    administrators: administrators.data,
    branch: (id) => store.get(id),
  });
  const searching = query.trim() !== '';
  const found = searching && search.data ? buildSearchTree(search.data, t('admin.tree.technicians')) : null;
  const shownRows = searching ? found?.rows ?? [] : rows;
  const shownExpanded = found ? new Set<Key>([...expanded, ...found.expand]) : expanded;

  const selectedRows = (keys: Selection = selected): TreeRow[] => {
    const all = keys === 'all';
    const out: TreeRow[] = [];
    const visit = (list: readonly TreeRow[]) => list.forEach((row) => {
      if (all || keys.has(row.key)) out.push(row);
      visit(row.children);
    });
    visit(shownRows);
    return out;
  };
  const resettable = uniqueMembers(selectedRows().filter((row) => canReset(row, viewer)));

  const onExpandedChange = (keys: Set<Key>) => {
    for (const key of keys) {
      const id = groupIdOf(key);
      const row = id && !expanded.has(key) ? findRow(shownRows, String(key)) : null;
      if (id && row?.item.type === 'group') store.open(id, { groupCount: row.item.groupCount, memberCount: row.item.memberCount });
      else if (id) store.open(id);
    }
    setExpanded(new Set(keys));
  };

  const open = (row: TreeRow | null) => {
    if (!row?.target) return;
    // A search hit's path opens in the tree too, so clearing the search shows it where it stands.
    if (searching) {
      const ancestors = pathTo(shownRows, row.key).slice(0, -1);
      for (const ancestor of ancestors) if (ancestor.item.type === 'group') store.open(ancestor.item.id);
      setExpanded((keys) => new Set([...keys, ...ancestors.map((ancestor) => ancestor.key)]));
    }
    navigate(nodePath(row.target.kind, row.target.id));
  };

  const onSelectionChange = (keys: Selection) => {
    setSelected(keys);
    setNotice(null);
    if (keys !== 'all' && keys.size === 1) {
      const row = findRow(shownRows, String([...keys][0]));
      if (row?.target && `${row.target.kind}:${row.target.id}` !== currentKey) open(row);
    }
  };

  const openMenu = (key: string | null, x: number, y: number): boolean => {
    const row = key ? findRow(shownRows, key) : null;
    if (!row) return false;
    setMenu({ row, x, y });
    return true;
  };
  const onContextMenu = (event: MouseEvent<HTMLDivElement>) => {
    if (openMenu(rowKeyOf(event.target as Element), event.clientX, event.clientY)) event.preventDefault();
  };
  const onKeyDownCapture = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.key !== 'ContextMenu' && !(event.shiftKey && event.key === 'F10')) return;
    const element = document.activeElement?.closest('[role="row"]') ?? null;
    const rect = element?.getBoundingClientRect();
    if (rect && openMenu(rowKeyOf(element), rect.left + 24, rect.bottom)) {
      event.preventDefault();
      event.stopPropagation();
    }
  };

  const onMenuAction = (row: TreeRow, action: MenuAction) => {
    setMenu(null);
    setNotice(null);
    setFailure(null);
    const inSelection = selectedRows().some((selectedRow) => selectedRow.key === row.key);
    setDialog(dialogFor(row, action, inSelection ? resettable : [row]));
  };

  /** Shows the new place of what moved: the target group opens and everything the Admin Center read is read again. */
  const afterMove = async (groupId: string) => {
    setExpanded((keys) => new Set([...keys, `group:${groupId}`]));
    store.open(groupId);
    await refreshAfterWrite();
  };

  const { dragAndDropHooks } = useDragAndDrop<TreeRow>({
    // Only rows the viewer may move are dragged; with none, no drag starts.
    getItems: (keys) => [...keys].flatMap((key) => {
      const row = findRow(shownRows, String(key));
      return row && moveKind(row, viewer) ? [{ [ROW_DRAG_TYPE]: row.key, 'text/plain': row.name }] : [];
    }),
    getAllowedDropOperations: () => ['move'],
    getDropOperation: (target) => (target.type === 'item' && target.dropPosition === 'on' && groupIdOf(target.key) ? 'move' : 'cancel'),
    shouldAcceptItemDrop: (target) => groupIdOf(target.key) !== null,
    onItemDrop: async (event) => {
      const target = findRow(shownRows, String(event.target.key));
      const keys = await Promise.all(event.items.filter(isTextDropItem).map((item) => item.getText(ROW_DRAG_TYPE)));
      const dragged = keys.flatMap((key) => findRow(shownRows, key) ?? []);
      if (!target || target.item.type !== 'group' || !acceptsDrop(target, dragged, viewer)) return;
      await moveRows(dragged, target);
    },
  });

  const moveRows = async (dragged: readonly TreeRow[], target: TreeRow) => {
    setNotice(null);
    setFailure(null);
    const done: string[] = [];
    for (const row of dragged) {
      try {
        await moveRow(row, target.target!.id);
        done.push(t(row.item.type === 'member' && row.item.placement === 'administrator' ? 'adminTree.move.assigned' : 'adminTree.move.done', { name: row.name, group: target.name }));
      } catch (error) {
        const message = errorMessage(error);
        setFailure(t('adminTree.move.failed', { name: row.name, reason: t(message.id, message.values) }));
      }
    }
    if (done.length > 0) setNotice(done.join(' '));
    await afterMove(target.target!.id);
  };

  const renderRow = (row: TreeRow) => {
    const current = row.target !== null && `${row.target.kind}:${row.target.id}` === currentKey;
    return (
      <TreeItem
        id={row.key}
        textValue={row.item.type === 'member' && row.item.required ? `${row.name}, ${t('adminTree.requiredLabel')}` : row.name}
        hasChildItems={row.expandable}
        className={({ isFocusVisible, isSelected, isDropTarget }) => `tree-row${current ? ' current' : ''}${row.target ? '' : ' section'}${isFocusVisible ? ' focus' : ''}${isSelected ? ' selected' : ''}${isDropTarget ? ' drop-target' : ''}`}
      >
        <TreeItemContent>
          {({ hasChildItems, isExpanded }) => (
            <div className="tree-row-content">
              {hasChildItems ? (
                <Button slot="chevron" className="tree-chevron" aria-label={t(isExpanded ? 'admin.tree.collapse' : 'admin.tree.expand', { name: row.name })}>
                  <span aria-hidden="true">{isExpanded ? '▾' : '▸'}</span>
                </Button>
              ) : <span className="tree-chevron-space" />}
              <span className="tree-row-name">{row.name}</span>
              {row.item.type === 'member' && row.item.required
                ? <span className="tree-badge" title={t('adminTree.requiredLabel')}>{t('adminTree.required')}</span>
                : null}
            </div>
          )}
        </TreeItemContent>
        <Collection items={row.children} dependencies={[currentKey]}>{renderRow}</Collection>
        {row.more ? (
          <TreeLoadMoreItem
            // The row is drawn only while "loading": a failed branch keeps it, to say it is not loaded.
            isLoading={row.more.loading || row.more.failed === true}
            // A failed branch waits for "Try again" above the tree rather than asking again whenever it is drawn.
            onLoadMore={row.more.failed ? undefined : () => { if (row.more && row.more.branchId !== 'administrators') void store.loadMore(row.more.branchId); }}
            className="tree-loading"
          >
            {row.more.failed ? t('adminTree.notLoaded') : t('common.loading')}
          </TreeLoadMoreItem>
        ) : null}
      </TreeItem>
    );
  };

  const dialogNode = dialog?.type === 'create' ? (
    <CreateDialog
      target={dialog.target}
      onClose={() => setDialog(null)}
      onCreated={async (created) => {
        setDialog(null);
        setNotice(t('adminTree.create.done', { name: created.name }));
        if (dialog.target.kind === 'group' || dialog.target.kind === 'technician') {
          const parent = dialog.target.parentId;
          setExpanded((keys) => new Set([...keys, parent ? `group:${parent}` : SECTION_KEYS.technicians]));
          if (parent) store.open(parent);
        }
        await refreshAfterWrite();
        navigate(nodePath(created.kind, created.id));
      }}
    />
  ) : dialog?.type === 'move' ? (
    <MoveDialog
      row={dialog.row}
      onClose={() => setDialog(null)}
      onChosen={async (group) => {
        setDialog(null);
        await moveRows([dialog.row], { ...dialog.row, key: `group:${group.id}`, name: group.name, target: { kind: 'group', id: group.id }, item: { type: 'group', id: group.id, parentId: null, groupCount: 0, memberCount: 0 } });
      }}
    />
  ) : dialog?.type === 'reset' ? (
    <ResetDialog
      rows={dialog.rows}
      onClose={() => setDialog(null)}
      onDone={async (summary) => {
        setDialog(null);
        setNotice(summary);
        setSelected(new Set());
        await refreshAfterWrite();
      }}
    />
  ) : null;

  const searchError = searching && search.error ? errorMessage(search.error) : null;
  const branchFailure = searching ? undefined : store.failures()[0];
  const branchError = branchFailure ? errorMessage(branchFailure.error) : null;
  return (
    <div className="org-tree">
      <SearchField className="field" value={query} onChange={setQuery} aria-describedby="org-tree-help">
        <Label className="field-label">{t('admin.tree.search')}</Label>
        <Input className="field-input" />
      </SearchField>
      <p id="org-tree-help" className="hint tree-help">{t('adminTree.help')}</p>
      <div className="tree-status" role="status">{searching && !search.settled ? t('adminTree.searching') : ''}</div>
      <div onContextMenu={onContextMenu} onKeyDownCapture={onKeyDownCapture}>
        <Virtualizer layout={ListLayout} layoutOptions={{ rowHeight: ROW_HEIGHT }}>
          <Tree
            ref={treeRef}
            aria-label={t('admin.tree.label')}
            aria-describedby="org-tree-help"
            className="tree"
            items={shownRows}
            dependencies={[currentKey, store.getVersion()]}
            expandedKeys={shownExpanded}
            onExpandedChange={onExpandedChange}
            selectionMode="multiple"
            selectionBehavior="replace"
            selectedKeys={selected}
            onSelectionChange={onSelectionChange}
            onAction={(key) => open(findRow(shownRows, String(key)))}
            dragAndDropHooks={dragAndDropHooks}
            renderEmptyState={() => <p className="tree-empty">{searching && !search.settled ? t('adminTree.searching') : t('admin.tree.noMatch')}</p>}
          >
            {renderRow}
          </Tree>
        </Virtualizer>
      </div>
      {/* What a selection or an action brings comes below the rows, not above them, so it never moves
          a row under the pointer (nor covers one). The context menu offers the same reset. */}
      <div className="tree-outcome">
        {resettable.length > 0 ? (
          <div className="tree-toolbar">
            <span role="status">{t('adminTree.selected', { count: resettable.length })}</span>
            <SecondaryButton onPress={() => setDialog({ type: 'reset', rows: resettable })}>{t('adminTree.menu.forceReset')}</SecondaryButton>
            <SecondaryButton onPress={() => setSelected(new Set())}>{t('adminTree.clearSelection')}</SecondaryButton>
          </div>
        ) : null}
        <Notice message={notice} />
        <ErrorAlert message={failure ?? (searchError ? t(searchError.id, searchError.values) : null)} />
        {branchError ? (
          <div role="alert" className="alert error tree-failure">
            <span>{t('adminTree.branchFailed', { reason: t(branchError.id, branchError.values) })}</span>
            <SecondaryButton onPress={() => store.retryFailed()}>{t('adminTree.tryAgain')}</SecondaryButton>
          </div>
        ) : null}
      </div>
      {menu ? <TreeContextMenu row={menu.row} viewer={viewer} x={menu.x} y={menu.y} onAction={onMenuAction} onClose={() => setMenu(null)} /> : null}
      {dialogNode}
    </div>
  );
}

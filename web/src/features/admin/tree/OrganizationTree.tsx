/**
 * The Organization Tree: React Aria's Tree in a Virtualizer (only the rows in view are in the page),
 * arrow keys to move, Right/Left to expand and collapse, Enter to open a row in the Workspace. A
 * group's technicians are fetched when the group is first expanded; the branch ends in a loading row
 * meanwhile. The search field narrows the rows to the names that match and opens their branches.
 */
import { useQueries } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import {
  Button, Collection, Input, Label, ListLayout, SearchField, Tree, TreeItem, TreeItemContent, TreeLoadMoreItem, Virtualizer, type Key,
} from 'react-aria-components';
import { navigate } from '../../../app/router.ts';
import { useT } from '../../../i18n/I18n.tsx';
import { nodePath } from '../paths.ts';
import { adminKeys, useAdministrators, useTechnicianGroups } from '../queries.ts';
import { loadGroupMembers, type MemberRow } from './treeApi.ts';
import { SECTION_KEYS, buildTree, filterTree, type TreeRow } from './treeModel.ts';

const ROW_HEIGHT = 34;

export function OrganizationTree({ isMaster, currentKey }: { isMaster: boolean; currentKey: string | null }) {
  const t = useT();
  const [expanded, setExpanded] = useState<Set<Key>>(() => new Set([SECTION_KEYS.masters, SECTION_KEYS.administrators, SECTION_KEYS.technicians]));
  const [query, setQuery] = useState('');
  const groups = useTechnicianGroups();
  const administrators = useAdministrators(isMaster);

  const expandedGroupIds = [...expanded].map(String).filter((key) => key.startsWith('group:')).map((key) => key.slice('group:'.length));
  const memberQueries = useQueries({
    queries: expandedGroupIds.map((id) => ({ queryKey: adminKeys.groupMembers(id), queryFn: () => loadGroupMembers(id, null) })),
  });
  const membersByGroup = new Map<string, readonly MemberRow[] | 'loading'>();
  expandedGroupIds.forEach((id, index) => {
    const result = memberQueries[index];
    membersByGroup.set(id, result?.data ? result.data.items : 'loading');
  });

  const rows = buildTree({
    sectionNames: { masters: t('admin.tree.masterAdministrators'), administrators: t('admin.tree.administrators'), technicians: t('admin.tree.technicians') },
    groups: groups.data ?? [],
    administrators: administrators.data ?? null,
    membersByGroup,
  });
  const searching = query.trim() !== '';
  const filtered = useMemo(() => (searching ? filterTree(rows, query) : null), [searching, rows, query]);
  const shownRows = filtered ? filtered.rows : rows;
  const shownExpanded = filtered ? new Set<Key>([...expanded, ...filtered.expand]) : expanded;

  const renderRow = (row: TreeRow) => (
    <TreeItem
      id={row.key}
      textValue={row.name}
      hasChildItems={row.expandable}
      className={({ isFocusVisible }) => `tree-row${row.key === currentKey ? ' current' : ''}${row.target ? '' : ' section'}${isFocusVisible ? ' focus' : ''}`}
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
          </div>
        )}
      </TreeItemContent>
      <Collection items={row.children} dependencies={[currentKey]}>{renderRow}</Collection>
      {row.loading ? <TreeLoadMoreItem isLoading className="tree-loading">{t('common.loading')}</TreeLoadMoreItem> : null}
    </TreeItem>
  );

  return (
    <div className="org-tree">
      <SearchField className="field" value={query} onChange={setQuery}>
        <Label className="field-label">{t('admin.tree.search')}</Label>
        <Input className="field-input" />
      </SearchField>
      <Virtualizer layout={ListLayout} layoutOptions={{ rowHeight: ROW_HEIGHT }}>
        <Tree
          aria-label={t('admin.tree.label')}
          className="tree"
          items={shownRows}
          dependencies={[currentKey]}
          expandedKeys={shownExpanded}
          onExpandedChange={(keys) => setExpanded(new Set(keys))}
          onAction={(key) => {
            const row = findRow(shownRows, String(key));
            if (row?.target) navigate(nodePath(row.target.kind, row.target.id));
          }}
          renderEmptyState={() => <p className="tree-empty">{t('admin.tree.noMatch')}</p>}
        >
          {renderRow}
        </Tree>
      </Virtualizer>
    </div>
  );
}

function findRow(rows: readonly TreeRow[], key: string): TreeRow | null {
  for (const row of rows) {
    if (row.key === key) return row;
    const inner = findRow(row.children, key);
    if (inner) return inner;
  }
  return null;
}

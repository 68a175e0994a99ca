/**
 * The one way the Admin Center chooses a technician group: a combo box that searches the groups while
 * typing (the tree's own search, so it answers at any size) and, before anything is typed, lists the
 * top groups a keyset page at a time as the list scrolls. No screen reads every group at once: an
 * organization may hold thousands.
 *
 * The choice changes only when an option is chosen; typing searches, and leaving the field puts the
 * chosen group's name back.
 */
import { useInfiniteQuery } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import { Button, Collection, ComboBox, FieldError, Input, Label, ListBox, ListBoxItem, ListBoxLoadMoreItem, Popover, Text, type Key } from 'react-aria-components';
import { useT } from '../../../i18n/I18n.tsx';
import { loadChildGroups } from './treeApi.ts';
import { useTreeSearch } from './useTreeData.ts';
import './tree.css';

export interface PickedGroup {
  readonly id: string;
  readonly name: string;
}

interface Option extends PickedGroup {
  /** The groups above it, as the search answers them ("Support › Tier 1"). */
  readonly where: string;
}

interface GroupPickerProps {
  readonly label: string;
  readonly value: PickedGroup | null;
  readonly onChange: (group: PickedGroup | null) => void;
  /** Below the field; the picker's own by default, none with `null` (a row of filters). */
  readonly hint?: string | null;
  /** Offered first, and chosen by `null`: "No technician group", "Any group". Without it a group must be chosen. */
  readonly noneLabel?: string;
  /** A group being moved: neither it nor its subgroups can be chosen. */
  readonly excludeId?: string | null;
  readonly error?: string | undefined;
  readonly autoFocus?: boolean;
}

/** The key of the `noneLabel` option; never a group id (ids are UUIDs). */
const NONE = '_none_';

/** The top groups, a page at a time, read only once the list is opened. */
function useTopGroups(enabled: boolean) {
  return useInfiniteQuery({
    queryKey: ['admin', 'tree', 'picker-top-groups'],
    initialPageParam: null as string | null,
    queryFn: ({ pageParam, signal }) => loadChildGroups(null, pageParam, signal),
    getNextPageParam: (last) => last.nextCursor,
    enabled,
  });
}

export function GroupPicker({ label, value, onChange, hint, noneLabel, excludeId = null, error, autoFocus }: GroupPickerProps) {
  const t = useT();
  const [text, setText] = useState(value?.name ?? '');
  const [opened, setOpened] = useState(false);
  // A new choice, or the chosen group's name arriving after the form was drawn, shows in the field.
  useEffect(() => setText(value?.name ?? ''), [value?.id, value?.name]);

  // The chosen group's own name is not a search: the list then shows the top groups to browse.
  const query = text.trim() === (value?.name ?? '').trim() ? '' : text.trim();
  const search = useTreeSearch(query);
  const top = useTopGroups(opened && query === '');
  const allowed = (id: string, path: readonly PickedGroup[]) => id !== excludeId && !path.some((group) => group.id === excludeId);
  const groups: Option[] = query === ''
    ? (top.data?.pages.flatMap((page) => page.items) ?? []).filter((group) => allowed(group.id, [])).map((group) => ({ id: group.id, name: group.name, where: '' }))
    : (search.data ?? []).filter((hit) => hit.kind === 'group' && allowed(hit.id, hit.path))
      .map((hit) => ({ id: hit.id, name: hit.name, where: hit.path.map((group) => group.name).join(' › ') }));
  const options: Option[] = noneLabel !== undefined && query === '' ? [{ id: NONE, name: noneLabel, where: '' }, ...groups] : groups;
  const loading = query === '' ? top.isPending && opened : !search.settled;

  const onSelectionChange = (key: Key | null) => {
    if (key === NONE) {
      setText('');
      if (value !== null) onChange(null);
      return;
    }
    const option = options.find((candidate) => candidate.id === key);
    // Leaving the field (or choosing the chosen group again) puts its name back.
    if (!option || option.id === value?.id) {
      setText(value?.name ?? '');
      return;
    }
    setText(option.name);
    onChange({ id: option.id, name: option.name });
  };

  return (
    <ComboBox
      className="field"
      inputValue={text}
      onInputChange={setText}
      selectedKey={value?.id ?? (noneLabel !== undefined ? NONE : null)}
      onSelectionChange={onSelectionChange}
      onOpenChange={(isOpen) => { if (isOpen) setOpened(true); }}
      // The server searched already: every option it answered is shown, matched by name or by path.
      defaultFilter={() => true}
      menuTrigger="input"
      allowsEmptyCollection
      isInvalid={error !== undefined}
      {...(autoFocus ? { autoFocus } : {})}
    >
      <Label className="field-label">{label}</Label>
      <div className="picker-input">
        <Input className="field-input" placeholder={value === null ? noneLabel : undefined} />
        <Button className="picker-button" aria-label={t('adminTree.picker.show')}>▾</Button>
      </div>
      {hint === null ? null : <Text slot="description" className="field-hint">{hint ?? t('adminTree.picker.hint')}</Text>}
      <FieldError className="field-error">{error}</FieldError>
      <Popover className="popover picker-popover" placement="bottom start">
        <ListBox className="menu" renderEmptyState={() => <p className="tree-empty">{loading ? t('adminTree.searching') : t('adminTree.move.none')}</p>}>
          <Collection items={options}>
            {(option) => (
              // The "none" option leaves the field empty (its placeholder says it): an empty text, or the list would open again.
              <ListBoxItem id={option.id} textValue={option.id === NONE ? '' : option.name} className="menu-item">
                <span>{option.name}</span>
                {option.where ? <span className="menu-item-where"> · {option.where}</span> : null}
              </ListBoxItem>
            )}
          </Collection>
          {query === '' && top.hasNextPage ? (
            <ListBoxLoadMoreItem className="tree-loading" isLoading={top.isFetchingNextPage} onLoadMore={() => { if (!top.isFetchingNextPage) void top.fetchNextPage(); }}>
              {t('common.loading')}
            </ListBoxLoadMoreItem>
          ) : null}
        </ListBox>
      </Popover>
    </ComboBox>
  );
}

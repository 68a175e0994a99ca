/**
 * The Organization Tree's data as React reads it: the lazy branches (one store per tree, reloaded
 * when any Admin Center write invalidates the Admin Center's reads), the Administrators section, and
 * the search, asked while typing: once the typing pauses, and a newer text cancels the older request.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { BranchStore, ROOT } from './branchStore.ts';
import { loadAdministrators, loadChildGroups, loadGroupMembers, searchTree } from './treeApi.ts';

/** How long the typing must pause before the search is asked: fewer requests, the answer still follows the typing. */
export const SEARCH_DEBOUNCE_MS = 150;

export const treeKeys = {
  administrators: ['admin', 'tree', 'administrators'] as const,
  search: (text: string) => ['admin', 'tree', 'search', text] as const,
  /** A read with no data of its own: it is invalidated with the Admin Center's reads, and then the branches reload. */
  writes: ['admin', 'tree', 'writes'] as const,
};

/** The branch store, its version (so the tree redraws when a branch changes), and the open branches reloaded after writes. */
export function useBranches(openGroupIds: ReadonlySet<string>): BranchStore {
  const [store] = useState(() => new BranchStore({ groups: loadChildGroups, members: loadGroupMembers }));
  useSyncExternalStore(store.subscribe, store.getVersion);
  useEffect(() => store.open(ROOT), [store]);

  const open = useRef(openGroupIds);
  open.current = openGroupIds;
  const counter = useRef(0);
  const writes = useQuery({
    queryKey: treeKeys.writes,
    queryFn: () => { counter.current += 1; return counter.current; },
    staleTime: Infinity, refetchOnWindowFocus: false, refetchOnReconnect: false,
  });
  const seen = useRef<number | undefined>(undefined);
  useEffect(() => {
    if (writes.data === undefined) return;
    // The first answer is the page opening: the branches are loading already.
    if (seen.current !== undefined && seen.current !== writes.data) store.refreshOpen(new Set([ROOT, ...open.current]));
    seen.current = writes.data;
  }, [writes.data, store]);
  return store;
}

/** After a write from the tree: every Admin Center read, the tree's branches among them, is read again. */
export function useRefreshAfterWrite(): () => Promise<void> {
  const client = useQueryClient();
  return () => client.invalidateQueries({ queryKey: ['admin'] });
}

export const useTreeAdministrators = () =>
  useQuery({ queryKey: treeKeys.administrators, queryFn: ({ signal }) => loadAdministrators(signal) });

/** The search's answer for `text` once the typing pauses; the previous answer stays shown meanwhile. */
export function useTreeSearch(text: string) {
  const [asked, setAsked] = useState(text.trim());
  useEffect(() => {
    const timer = setTimeout(() => setAsked(text.trim()), SEARCH_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text]);
  const result = useQuery({
    queryKey: treeKeys.search(asked),
    // TanStack Query aborts this signal when the text changes before the answer comes: the stale request is cancelled.
    queryFn: ({ signal }) => searchTree(asked, signal),
    enabled: asked !== '',
    placeholderData: (previous) => previous,
    staleTime: 10_000,
  });
  return { ...result, asked, settled: asked === text.trim() && !result.isFetching };
}

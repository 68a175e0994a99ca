/**
 * The Organization Tree's branches, loaded lazily and kept outside React: a branch (a technician
 * group, or the Technicians root) is fetched when it is first opened, a page at a time, its child
 * groups first and then its technicians, each list by its own keyset cursor (the first technicians
 * are asked for as the branch opens, alongside its subgroups). A refresh reloads a
 * branch's first page and keeps the old rows on screen until the new ones arrive; a load overtaken
 * by a refresh is aborted and its answer dropped.
 */
import type { MemberRow, Page, TreeGroup } from './treeApi.ts';

/** The Technicians root: the caller's top groups (their assigned groups for an administrator). */
export const ROOT = '';

export interface Fetchers {
  readonly groups: (parentId: string | null, cursor: string | null, signal: AbortSignal) => Promise<Page<TreeGroup>>;
  readonly members: (groupId: string, cursor: string | null, signal: AbortSignal) => Promise<Page<MemberRow>>;
}

export interface Branch {
  readonly groups: readonly TreeGroup[];
  readonly members: readonly MemberRow[];
  /** The next page's cursor; `undefined` before the first page, `null` once the list is complete. */
  readonly groupsCursor: string | null | undefined;
  readonly membersCursor: string | null | undefined;
  readonly loading: boolean;
  readonly error: unknown;
}

/** What the parent's row says the branch holds: an empty list is never asked for. */
export interface BranchHint { readonly groupCount: number; readonly memberCount: number }

const EMPTY: Branch = { groups: [], members: [], groupsCursor: undefined, membersCursor: undefined, loading: false, error: null };

export const hasMore = (branch: Branch): boolean => branch.groupsCursor !== null || branch.membersCursor !== null;
/** The rows to show: technicians only once every child group is in, so the order never jumps. */
export const shownMembers = (branch: Branch): readonly MemberRow[] => (branch.groupsCursor === null ? branch.members : []);

export class BranchStore {
  private readonly branches = new Map<string, Branch>();
  private readonly inFlight = new Map<string, AbortController>();
  /** A branch's first page of technicians, asked for as the branch opens, alongside its subgroups. */
  private readonly firstMembers = new Map<string, Promise<Page<MemberRow>>>();
  private readonly listeners = new Set<() => void>();
  private version = 0;

  constructor(private readonly fetchers: Fetchers) {}

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Changes whenever any branch does: React re-reads the branches it draws. */
  getVersion = (): number => this.version;

  get(id: string): Branch | undefined {
    return this.branches.get(id);
  }

  /** The branches whose last load failed, with why: their rows say so until they are tried again. */
  failures(): Array<{ id: string; error: unknown }> {
    return [...this.branches].flatMap(([id, branch]) => (branch.error && !branch.loading ? [{ id, error: branch.error }] : []));
  }

  /**
   * Loads again every branch whose last load failed, from its first page: a failure is never retried
   * on its own, so a server that refuses does not get the same request in a loop.
   */
  retryFailed(): void {
    this.refresh(this.failures().map((failure) => failure.id));
  }

  /** The branches loaded so far (their rows stay when the branch closes, for a quick reopen). */
  loadedIds(): string[] {
    return [...this.branches.keys()];
  }

  /** First opening of a branch loads its first page; later openings show what was loaded. */
  open(id: string, hint?: BranchHint): void {
    if (this.branches.has(id)) return;
    const branch: Branch = {
      ...EMPTY,
      groupsCursor: hint && hint.groupCount === 0 ? null : undefined,
      membersCursor: id === ROOT || (hint && hint.memberCount === 0) ? null : undefined,
    };
    // Opening costs one round trip, not two: the first technicians are asked for with the subgroups.
    if (branch.groupsCursor === undefined && branch.membersCursor === undefined) {
      const first = this.fetchers.members(id, null, new AbortController().signal);
      first.catch(() => undefined);
      this.firstMembers.set(id, first);
    }
    this.set(id, branch);
    void this.loadMore(id);
  }

  /** The next page of a branch: child groups until they are all in, then technicians. */
  async loadMore(id: string): Promise<void> {
    const branch = this.branches.get(id);
    if (!branch || branch.loading || !hasMore(branch)) return;
    const controller = new AbortController();
    this.inFlight.set(id, controller);
    this.set(id, { ...branch, loading: true, error: null });
    try {
      const next = await this.fetchPage(id, branch, controller.signal);
      if (this.inFlight.get(id) !== controller) return;
      this.set(id, { ...next, loading: false, error: null });
    } catch (error) {
      if (this.inFlight.get(id) !== controller) return;
      this.set(id, { ...branch, loading: false, error });
    } finally {
      if (this.inFlight.get(id) === controller) this.inFlight.delete(id);
    }
  }

  /**
   * Reloads these branches from their first page (after a write changed them); branches never opened
   * are left alone. Rows already drawn stay until the new page replaces them.
   */
  refresh(ids: Iterable<string>): void {
    for (const id of new Set(ids)) {
      const old = this.branches.get(id);
      if (!old) continue;
      this.inFlight.get(id)?.abort();
      this.inFlight.delete(id);
      this.firstMembers.delete(id);
      const fresh: Branch = { ...EMPTY, membersCursor: id === ROOT ? null : undefined };
      const controller = new AbortController();
      this.inFlight.set(id, controller);
      this.set(id, { ...old, loading: true });
      void this.fetchPage(id, fresh, controller.signal).then(
        (page) => { if (this.inFlight.get(id) === controller) { this.inFlight.delete(id); this.set(id, { ...page, loading: false, error: null }); } },
        (error: unknown) => { if (this.inFlight.get(id) === controller) { this.inFlight.delete(id); this.set(id, { ...old, loading: false, error }); } },
      );
    }
  }

  /** Forgets the branches not open now (they load afresh when opened) and reloads the open ones. */
  refreshOpen(openIds: ReadonlySet<string>): void {
    for (const id of this.loadedIds()) {
      if (openIds.has(id)) continue;
      this.inFlight.get(id)?.abort();
      this.inFlight.delete(id);
      this.branches.delete(id);
    }
    this.bump();
    this.refresh([...openIds]);
  }

  /** One page after `branch`: a page of child groups, and once those are complete a page of technicians. */
  private async fetchPage(id: string, branch: Branch, signal: AbortSignal): Promise<Branch> {
    if (branch.groupsCursor !== null) {
      const page = await this.fetchers.groups(id === ROOT ? null : id, branch.groupsCursor ?? null, signal);
      const groups = [...branch.groups, ...page.items];
      const after: Branch = { ...branch, groups, groupsCursor: page.nextCursor };
      // A branch whose groups fit one page shows its first technicians with them, in one opening.
      if (page.nextCursor === null && after.membersCursor === undefined) return this.fetchPage(id, after, signal);
      return after;
    }
    const first = branch.membersCursor === undefined ? this.firstMembers.get(id) : undefined;
    this.firstMembers.delete(id);
    const page = await (first ?? this.fetchers.members(id, branch.membersCursor ?? null, signal));
    return { ...branch, members: [...branch.members, ...page.items], membersCursor: page.nextCursor };
  }

  private set(id: string, branch: Branch): void {
    this.branches.set(id, branch);
    this.bump();
  }

  private bump(): void {
    this.version += 1;
    for (const listener of this.listeners) listener();
  }
}

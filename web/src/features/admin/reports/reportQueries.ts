/**
 * The Reports tab's reads: each report is read a keyset page at a time as the list scrolls, and the
 * CSV download is the same route with `format=csv` (the browser sends the session cookie itself).
 */
import { useInfiniteQuery } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client.ts';
import type { paths } from '../../../api/schema.d.ts';

type MembersQuery = NonNullable<paths['/api/v1/reports/two-step-verification/members']['get']['parameters']['query']>;
type AuditQuery = NonNullable<paths['/api/v1/audit-events']['get']['parameters']['query']>;

export type MemberStatusFilters = Pick<MembersQuery, 'technicianGroupId' | 'role' | 'state'>;
export type MemberStatusRow = paths['/api/v1/reports/two-step-verification/members']['get']['responses'][200]['content']['application/json']['items'][number];
export type AdministratorRow = paths['/api/v1/reports/administrators']['get']['responses'][200]['content']['application/json']['items'][number];
export type AuditFilters = Pick<AuditQuery, 'from' | 'to' | 'actorId' | 'action' | 'entityType'>;
export type AuditEvent = paths['/api/v1/audit-events']['get']['responses'][200]['content']['application/json']['items'][number];

export const REPORT_ROLES = ['master_administrator', 'administrator', 'technician'] as const satisfies ReadonlyArray<NonNullable<MembersQuery['role']>>;
export const REPORT_STATES = ['required', 'set_up', 'not_set_up', 'required_not_set_up', 'must_set_up_again', 'locked'] as const satisfies ReadonlyArray<NonNullable<MembersQuery['state']>>;

const PAGE = '100';

/** Drops the filters left at "any", so the query string and the cache key hold only what narrows. */
export function definedOnly<T extends object>(filters: T): Partial<T> {
  return Object.fromEntries(Object.entries(filters).filter(([, value]) => value !== undefined && value !== '')) as Partial<T>;
}

/** The link that downloads a report as CSV with the filters on screen. */
export function csvLink(path: string, filters: object): string {
  const query = new URLSearchParams({ format: 'csv', ...(definedOnly(filters) as Record<string, string>) });
  return `${path}?${query.toString()}`;
}

export const useMemberStatusReport = (filters: MemberStatusFilters) =>
  useInfiniteQuery({
    queryKey: ['admin', 'reports', 'members', definedOnly(filters)],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => unwrap(api.GET('/api/v1/reports/two-step-verification/members', {
      params: { query: { ...definedOnly(filters), limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}) } },
    })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export const useAdministratorReport = () =>
  useInfiniteQuery({
    queryKey: ['admin', 'reports', 'administrators'],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => unwrap(api.GET('/api/v1/reports/administrators', {
      params: { query: { limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}) } },
    })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

export const useAuditReport = (filters: AuditFilters) =>
  useInfiniteQuery({
    queryKey: ['admin', 'reports', 'audit', definedOnly(filters)],
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam }) => unwrap(api.GET('/api/v1/audit-events', {
      params: { query: { ...definedOnly(filters), limit: '50', ...(pageParam ? { cursor: pageParam } : {}) } },
    })),
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });

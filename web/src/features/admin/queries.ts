/** The Admin Center's reads and writes; each write refreshes the reads it changes. */
import { useMutation, useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import type { paths } from '../../api/schema.d.ts';
import { loadGroupMembers, loadTechnicianGroup, loadTopGroupIds } from './tree/treeApi.ts';

export type TwoStepSettings = paths['/api/v1/settings/two-step-verification']['put']['requestBody']['content']['application/json'];
export type SettingsPreview = paths['/api/v1/settings/two-step-verification/preview']['post']['responses'][200]['content']['application/json'] & {
  /** Whether the administrator saving is among the members who must set up again (when the server says). */
  readonly saverAffected?: boolean;
};
export type Member = paths['/api/v1/members/{id}']['get']['responses'][200]['content']['application/json'];
export type MemberChanges = NonNullable<paths['/api/v1/members/{id}']['patch']['requestBody']>['content']['application/json'];

/**
 * After a write, everything the Admin Center read may have changed. The refetch is not awaited: a
 * page that redraws with the new data must still receive its own `mutate(…, { onSuccess })`.
 */
const refreshAdmin = (client: QueryClient) => () => {
  void client.invalidateQueries({ queryKey: ['admin'] });
};

/** After an enforcement save: the groups' own reads first (awaited: the panel shows what was saved), then the rest. */
const refreshGroups = (client: QueryClient) => async () => {
  void client.invalidateQueries({ queryKey: ['admin'], predicate: (query) => query.queryKey[1] !== 'group' });
  await client.invalidateQueries({ queryKey: ['admin', 'group'] });
};

export const adminKeys = {
  group: (id: string) => ['admin', 'group', id] as const,
  groupMembers: (groupId: string) => ['admin', 'group-members', groupId] as const,
  member: (id: string) => ['admin', 'member', id] as const,
  settings: ['admin', 'settings', 'two-step'] as const,
};

/** One technician group (`null`: none, nothing is read). */
export const useTechnicianGroup = (id: string | null) =>
  useQuery({ queryKey: adminKeys.group(id ?? ''), queryFn: ({ signal }) => loadTechnicianGroup(id ?? '', signal), enabled: id !== null });

/** The group's name once read, for a picker's chosen group; null for none. */
export function useGroupChoice(id: string | null): { id: string; name: string } | null {
  const group = useTechnicianGroup(id);
  return id === null ? null : { id, name: group.data?.name ?? '' };
}

export const useGroupMembers = (groupId: string, enabled: boolean) =>
  useQuery({ queryKey: adminKeys.groupMembers(groupId), queryFn: () => loadGroupMembers(groupId, null), enabled });

export const useMember = (id: string) =>
  useQuery({ queryKey: adminKeys.member(id), queryFn: () => unwrap(api.GET('/api/v1/members/{id}', { params: { path: { id } } })) });

export const useTwoStepSettings = (enabled = true) =>
  useQuery({ queryKey: adminKeys.settings, queryFn: () => unwrap(api.GET('/api/v1/settings/two-step-verification')), enabled });

/** What saving `settings` would do; asked again whenever the form changes. */
export const useSettingsPreview = (settings: TwoStepSettings | null) =>
  useQuery({
    queryKey: ['admin', 'settings-preview', settings],
    queryFn: async (): Promise<SettingsPreview> => unwrap(api.POST('/api/v1/settings/two-step-verification/preview', { body: settings as TwoStepSettings })),
    enabled: settings !== null,
    placeholderData: (previous) => previous,
  });

export function useSaveSettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (settings: TwoStepSettings) => unwrap(api.PUT('/api/v1/settings/two-step-verification', { body: settings })),
    onSuccess: refreshAdmin(client),
  });
}

/** "Save changes" (this group) or "Save changes to subgroups" (`applyToSubgroups`). */
export function useSaveGroupEnforcement() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, enforce, applyToSubgroups }: { id: string; enforce: boolean; applyToSubgroups: boolean }) =>
      unwrap(api.PATCH('/api/v1/technician-groups/{id}', {
        params: { path: { id } },
        body: applyToSubgroups ? { enforceTwoStepVerification: enforce, applyToSubgroups: true } : { enforceTwoStepVerification: enforce },
      })),
    onSettled: refreshGroups(client),
  });
}

/**
 * "Save settings to all groups": each top-level group with its subgroups, one request each. The
 * server has no single request for it, so a failure part-way leaves the earlier groups saved; the
 * page says so and the administrator saves again (each request sets, it does not toggle).
 */
export function useSaveEnforcementToAllGroups() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async ({ enforce }: { enforce: boolean }) => {
      for (const id of await loadTopGroupIds()) {
        await unwrap(api.PATCH('/api/v1/technician-groups/{id}', { params: { path: { id } }, body: { enforceTwoStepVerification: enforce, applyToSubgroups: true } }));
      }
    },
    onSettled: refreshGroups(client),
  });
}

export function useUpdateMember(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (changes: MemberChanges) => unwrap(api.PATCH('/api/v1/members/{id}', { params: { path: { id } }, body: changes })),
    onSuccess: refreshAdmin(client),
  });
}

export function useForceReset() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (memberIds: string[]) => unwrap(api.POST('/api/v1/two-step-verification/resets', { body: { memberIds } })),
    onSuccess: refreshAdmin(client),
  });
}

export function useIssueSetupCode(id: string) {
  return useMutation({ mutationFn: () => unwrap(api.POST('/api/v1/members/{id}/setup-code', { params: { path: { id } } })) });
}

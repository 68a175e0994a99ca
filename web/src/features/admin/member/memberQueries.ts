/** A member's writes from their Organization tab beyond Save changes: unlocking and deleting. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../api/client.ts';
import type { paths } from '../../../api/schema.d.ts';
import { adminKeys } from '../queries.ts';

export type UnlockWhat = paths['/api/v1/members/{id}/unlock']['post']['requestBody']['content']['application/json']['what'];

export function useUnlockMember(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (what: UnlockWhat) => unwrap(api.POST('/api/v1/members/{id}/unlock', { params: { path: { id } }, body: { what } })),
    // The answer is the member as they are now: draw it at once, then refresh the reports that count locks.
    onSuccess: (member) => {
      client.setQueryData(adminKeys.member(id), member);
      void client.invalidateQueries({ queryKey: ['admin', 'report'] });
      void client.invalidateQueries({ queryKey: ['admin', 'reports'] });
    },
  });
}

export function useDeleteMember(id: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.DELETE('/api/v1/members/{id}', { params: { path: { id } } })),
    onSuccess: () => {
      client.removeQueries({ queryKey: adminKeys.member(id) });
      void client.invalidateQueries({ queryKey: ['admin'] });
    },
  });
}

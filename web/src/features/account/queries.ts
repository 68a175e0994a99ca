import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../api/client.ts';
import { clearReauthProgress } from './reauthProgress.ts';

export const meKey = ['me'] as const;

/** The signed-in member; an `unauthenticated` problem when nobody is. */
export function useMe() {
  return useQuery({ queryKey: meKey, queryFn: () => unwrap(api.GET('/api/v1/me')) });
}

export function useSignOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/sign-out')),
    onSettled: () => {
      clearReauthProgress();
      client.removeQueries({ queryKey: meKey });
    },
  });
}

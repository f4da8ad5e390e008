import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  routes,
  type ChangePasswordInput,
  type ConfirmTwoFactorInput,
  type DisableTwoFactorInput,
} from '@autoprov/contract';
import { api } from '../../../lib/api-client';
import { sessionQueryOptions } from '../../../lib/session';

export const twoFactorStatusQueryOptions = queryOptions({
  queryKey: ['account', 'two-factor'],
  queryFn: () => api(routes.twoFactorStatus),
});

export const useTwoFactorStatus = () => useQuery(twoFactorStatusQueryOptions);

export const useChangePassword = () => useMutation({ mutationFn: (input: ChangePasswordInput) => api(routes.changePassword, { body: input }) });

export const useBeginTwoFactor = () => useMutation({ mutationFn: () => api(routes.beginTwoFactor) });

/** After turning two-factor sign-in on or off, the session (which says whether it is on) is read again. */
function useRefreshAccount() {
  const queryClient = useQueryClient();
  return () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: sessionQueryOptions.queryKey }),
      queryClient.invalidateQueries({ queryKey: twoFactorStatusQueryOptions.queryKey }),
    ]);
}

export function useConfirmTwoFactor() {
  const refresh = useRefreshAccount();
  return useMutation({
    mutationFn: (input: ConfirmTwoFactorInput) => api(routes.confirmTwoFactor, { body: input }),
    onSuccess: refresh,
  });
}

export function useDisableTwoFactor() {
  const refresh = useRefreshAccount();
  return useMutation({
    mutationFn: (input: DisableTwoFactorInput) => api(routes.disableTwoFactor, { body: input }),
    onSuccess: refresh,
  });
}

import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  recoveryCodesSchema,
  twoFactorSetupSchema,
  twoFactorStatusSchema,
  type ChangePasswordInput,
  type ConfirmTwoFactorInput,
  type DisableTwoFactorInput,
} from '@autoprov/contract';
import { api } from '../../../lib/api-client';
import { sessionQueryOptions } from '../../../lib/session';

export const twoFactorStatusQueryOptions = queryOptions({
  queryKey: ['account', 'two-factor'],
  queryFn: () => api.get('/account/two-factor', twoFactorStatusSchema),
});

export const useTwoFactorStatus = () => useQuery(twoFactorStatusQueryOptions);

export const useChangePassword = () => useMutation({ mutationFn: (input: ChangePasswordInput) => api.post('/account/password', null, input) });

export const useBeginTwoFactor = () => useMutation({ mutationFn: () => api.post('/account/two-factor/setup', twoFactorSetupSchema) });

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
    mutationFn: (input: ConfirmTwoFactorInput) => api.post('/account/two-factor/confirm', recoveryCodesSchema, input),
    onSuccess: refresh,
  });
}

export function useDisableTwoFactor() {
  const refresh = useRefreshAccount();
  return useMutation({
    mutationFn: (input: DisableTwoFactorInput) => api.post('/account/two-factor/disable', null, input),
    onSuccess: refresh,
  });
}

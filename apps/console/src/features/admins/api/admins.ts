import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  adminListSchema,
  adminSchema,
  resetLinkSchema,
  securitySettingsSchema,
  type CreateAdminInput,
  type CreateResetLinkInput,
  type SecuritySettings,
} from '@autoprov/contract';
import { api } from '../../../lib/api-client';

export const adminsQueryOptions = queryOptions({
  queryKey: ['admins'],
  queryFn: () => api.get('/admins', adminListSchema),
});

export const useAdmins = () => useQuery(adminsQueryOptions);

export function useAddAdmin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateAdminInput) => api.post('/admins', adminSchema, input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminsQueryOptions.queryKey }),
  });
}

export function useRemoveAdmin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.delete(`/admins/${encodeURIComponent(id)}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminsQueryOptions.queryKey }),
  });
}

export const useCreateResetLink = () =>
  useMutation({
    mutationFn: ({ id, ...input }: CreateResetLinkInput & { id: string }) => api.post(`/admins/${encodeURIComponent(id)}/reset-link`, resetLinkSchema, input),
  });

export const securitySettingsQueryOptions = queryOptions({
  queryKey: ['admins', 'security-settings'],
  queryFn: () => api.get('/admins/security-settings', securitySettingsSchema),
});

export function useSaveSecuritySettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: SecuritySettings) => api.put('/admins/security-settings', securitySettingsSchema, input),
    onSuccess: (saved) => queryClient.setQueryData(securitySettingsQueryOptions.queryKey, saved),
  });
}

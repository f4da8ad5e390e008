import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  routes,
  type CreateAdminInput,
  type CreateResetLinkInput,
  type SecuritySettings,
} from '@autoprov/contract';
import { api } from '../../../lib/api-client';

export const adminsQueryOptions = queryOptions({
  queryKey: ['admins'],
  queryFn: () => api(routes.listAdmins),
});

export const useAdmins = () => useQuery(adminsQueryOptions);

export function useAddAdmin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateAdminInput) => api(routes.createAdmin, { body: input }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminsQueryOptions.queryKey }),
  });
}

export function useRemoveAdmin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api(routes.deleteAdmin, { params: { id } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: adminsQueryOptions.queryKey }),
  });
}

export const useCreateResetLink = () =>
  useMutation({
    mutationFn: ({ id, ...input }: CreateResetLinkInput & { id: string }) => api(routes.createResetLink, { params: { id }, body: input }),
  });

export const securitySettingsQueryOptions = queryOptions({
  queryKey: ['admins', 'security-settings'],
  queryFn: () => api(routes.securitySettings),
});

export function useSaveSecuritySettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: SecuritySettings) => api(routes.saveSecuritySettings, { body: input }),
    onSuccess: (saved) => queryClient.setQueryData(securitySettingsQueryOptions.queryKey, saved),
  });
}

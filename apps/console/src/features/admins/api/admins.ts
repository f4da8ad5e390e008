import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { adminListSchema, adminSchema, type CreateAdminInput } from '@autoprov/contract';
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

import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  directoryUserDetailSchema,
  userPageSchema,
  type UserInput,
  type UserListQuery,
  type UserUpdate,
} from '@autoprov/contract';
import { api, queryString } from '../api-client';

export const usersQueryOptions = (query: Partial<UserListQuery>) =>
  queryOptions({
    queryKey: ['directory', 'users', query],
    queryFn: () => api.get(`/directory/users${queryString(query)}`, userPageSchema),
    placeholderData: keepPreviousData,
  });

export const useUsers = (query: Partial<UserListQuery>) => useQuery(usersQueryOptions(query));

export const userQueryOptions = (id: string) =>
  queryOptions({
    queryKey: ['directory', 'user', id],
    queryFn: () => api.get(`/directory/users/${encodeURIComponent(id)}`, directoryUserDetailSchema),
  });

export const useUser = (id: string) => useQuery(userQueryOptions(id));

/** Every directory write changes lists, counts and history: refresh them all. */
function useDirectoryInvalidation() {
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: ['directory'] });
}

export function useCreateUser() {
  const invalidate = useDirectoryInvalidation();
  return useMutation({
    mutationFn: (input: UserInput) => api.post('/directory/users', directoryUserDetailSchema, input),
    onSuccess: invalidate,
  });
}

export function useUpdateUser(id: string) {
  const invalidate = useDirectoryInvalidation();
  return useMutation({
    mutationFn: (input: UserUpdate) => api.patch(`/directory/users/${encodeURIComponent(id)}`, directoryUserDetailSchema, input),
    onSuccess: invalidate,
  });
}

export type UserStatusAction = 'suspend' | 'restore' | 'archive' | 'delete';

export function useUserStatusAction(id: string) {
  const invalidate = useDirectoryInvalidation();
  return useMutation({
    mutationFn: (action: UserStatusAction) =>
      action === 'delete'
        ? api.delete(`/directory/users/${encodeURIComponent(id)}`)
        : api.post(`/directory/users/${encodeURIComponent(id)}/${action}`, directoryUserDetailSchema),
    onSuccess: invalidate,
  });
}

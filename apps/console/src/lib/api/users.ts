import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  routes,
  type UserInput,
  type UserListQuery,
  type UserUpdate,
} from '@autoprov/contract';
import { api } from '../api-client';

export const usersQueryOptions = (query: Partial<UserListQuery>) =>
  queryOptions({
    queryKey: ['directory', 'users', query],
    queryFn: () => api(routes.listUsers, { query }),
    placeholderData: keepPreviousData,
  });

export const useUsers = (query: Partial<UserListQuery>) => useQuery(usersQueryOptions(query));

export const userQueryOptions = (id: string) =>
  queryOptions({
    queryKey: ['directory', 'user', id],
    queryFn: () => api(routes.user, { params: { id } }),
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
    mutationFn: (input: UserInput) => api(routes.createUser, { body: input }),
    onSuccess: invalidate,
  });
}

export function useUpdateUser(id: string) {
  const invalidate = useDirectoryInvalidation();
  return useMutation({
    mutationFn: (input: UserUpdate) => api(routes.updateUser, { params: { id }, body: input }),
    onSuccess: invalidate,
  });
}

export type UserStatusAction = 'suspend' | 'restore' | 'archive' | 'delete';
const statusRoutes = { suspend: routes.suspendUser, restore: routes.restoreUser, archive: routes.archiveUser } as const;

export function useUserStatusAction(id: string) {
  const invalidate = useDirectoryInvalidation();
  return useMutation({
    mutationFn: (action: UserStatusAction) =>
      action === 'delete' ? api(routes.deleteUser, { params: { id } }) : api(statusRoutes[action], { params: { id } }),
    onSuccess: invalidate,
  });
}

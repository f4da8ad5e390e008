import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { routes, type AddGroupMember } from '@autoprov/contract';
import { api } from '../../../lib/api-client';

export const groupsQueryOptions = (query: { q?: string; page?: number; pageSize?: number }) =>
  queryOptions({
    queryKey: ['directory', 'groups', query],
    queryFn: () => api(routes.listGroups, { query }),
    placeholderData: keepPreviousData,
  });

export const useGroups = (query: { q?: string; page?: number; pageSize?: number }) => useQuery(groupsQueryOptions(query));

export const groupQueryOptions = (id: string) =>
  queryOptions({
    queryKey: ['directory', 'group', id],
    queryFn: () => api(routes.group, { params: { id } }),
  });

export const useGroup = (id: string) => useQuery(groupQueryOptions(id));

export function useAddGroupMember(groupId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (member: AddGroupMember) => api(routes.addGroupMember, { params: { id: groupId }, body: member }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['directory'] }),
  });
}

export function useRemoveGroupMember(groupId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (memberId: string) =>
      api(routes.removeGroupMember, { params: { id: groupId, memberId } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['directory'] }),
  });
}

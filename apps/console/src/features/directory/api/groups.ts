import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { groupDetailSchema, groupPageSchema, type AddGroupMember } from '@autoprov/contract';
import { api, queryString } from '../../../lib/api-client';

export const groupsQueryOptions = (query: { q?: string; page?: number; pageSize?: number }) =>
  queryOptions({
    queryKey: ['directory', 'groups', query],
    queryFn: () => api.get(`/directory/groups${queryString(query)}`, groupPageSchema),
    placeholderData: keepPreviousData,
  });

export const useGroups = (query: { q?: string; page?: number; pageSize?: number }) => useQuery(groupsQueryOptions(query));

export const groupQueryOptions = (id: string) =>
  queryOptions({
    queryKey: ['directory', 'group', id],
    queryFn: () => api.get(`/directory/groups/${encodeURIComponent(id)}`, groupDetailSchema),
  });

export const useGroup = (id: string) => useQuery(groupQueryOptions(id));

export function useAddGroupMember(groupId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (member: AddGroupMember) => api.post(`/directory/groups/${encodeURIComponent(groupId)}/members`, groupDetailSchema, member),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['directory'] }),
  });
}

export function useRemoveGroupMember(groupId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (memberId: string) =>
      api.delete(`/directory/groups/${encodeURIComponent(groupId)}/members/${encodeURIComponent(memberId)}`, groupDetailSchema),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['directory'] }),
  });
}

import { queryOptions, useQuery } from '@tanstack/react-query';
import { directoryChangePageSchema, orgUnitListSchema } from '@autoprov/contract';
import { api, queryString } from '../../../lib/api-client';

export const orgUnitsQueryOptions = queryOptions({
  queryKey: ['directory', 'org-units'],
  queryFn: () => api.get('/directory/org-units', orgUnitListSchema),
  staleTime: 60_000,
});

export const useOrgUnits = () => useQuery(orgUnitsQueryOptions);

export const changesQueryOptions = (page: number) =>
  queryOptions({
    queryKey: ['directory', 'changes', page],
    queryFn: () => api.get(`/directory/changes${queryString({ page, pageSize: 25 })}`, directoryChangePageSchema),
  });

export const useChanges = (page: number) => useQuery(changesQueryOptions(page));

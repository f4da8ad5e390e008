import { queryOptions, useQuery } from '@tanstack/react-query';
import { routes } from '@autoprov/contract';
import { api } from '../../../lib/api-client';

export const orgUnitsQueryOptions = queryOptions({
  queryKey: ['directory', 'org-units'],
  queryFn: () => api(routes.orgUnits),
  staleTime: 60_000,
});

export const useOrgUnits = () => useQuery(orgUnitsQueryOptions);

export const changesQueryOptions = (page: number) =>
  queryOptions({
    queryKey: ['directory', 'changes', page],
    queryFn: () => api(routes.directoryChanges, { query: { page, pageSize: 25 } }),
  });

export const useChanges = (page: number) => useQuery(changesQueryOptions(page));

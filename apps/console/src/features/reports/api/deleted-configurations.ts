import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { routes } from '@autoprov/contract';
import { api } from '../../../lib/api-client';

/** M-4, M-6: configurations deleted from their app, whose history is kept. */
export const useDeletedConfigurations = () =>
  useQuery({ queryKey: ['reports', 'deleted-configurations'], queryFn: () => api(routes.deletedConfigurations) });

export const useDeletedConfigurationRuns = (id: string, cursor: string | null) =>
  useQuery({
    queryKey: ['reports', 'deleted-configurations', id, 'runs', cursor],
    queryFn: () => api(routes.deletedConfigurationRuns, { params: { id }, query: { cursor: cursor ?? undefined, pageSize: 20 } }),
    placeholderData: keepPreviousData,
  });

export const useDeletedConfigurationReport = (id: string, runId: string, cursor: string | null) =>
  useQuery({
    queryKey: ['reports', 'deleted-configurations', id, 'report', runId, cursor],
    queryFn: () => api(routes.deletedConfigurationReport, { params: { id, runId }, query: { cursor: cursor ?? undefined, pageSize: 50 } }),
    placeholderData: keepPreviousData,
  });

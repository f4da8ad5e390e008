import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { deletedConfigurationListSchema, reportPageSchema, syncRunPageSchema } from '@autoprov/contract';
import { api, queryString } from '../../../lib/api-client';

const base = (id: string) => `/reports/deleted-configurations/${encodeURIComponent(id)}`;

/** M-4, M-6: configurations deleted from their app, whose history is kept. */
export const useDeletedConfigurations = () =>
  useQuery({ queryKey: ['reports', 'deleted-configurations'], queryFn: () => api.get('/reports/deleted-configurations', deletedConfigurationListSchema) });

export const useDeletedConfigurationRuns = (id: string, cursor: string | null) =>
  useQuery({
    queryKey: ['reports', 'deleted-configurations', id, 'runs', cursor],
    queryFn: () => api.get(`${base(id)}/runs${queryString({ cursor, pageSize: 20 })}`, syncRunPageSchema),
    placeholderData: keepPreviousData,
  });

export const useDeletedConfigurationReport = (id: string, runId: string, cursor: string | null) =>
  useQuery({
    queryKey: ['reports', 'deleted-configurations', id, 'report', runId, cursor],
    queryFn: () => api.get(`${base(id)}/runs/${encodeURIComponent(runId)}/report${queryString({ cursor, pageSize: 50 })}`, reportPageSchema),
    placeholderData: keepPreviousData,
  });

import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { routes, type UsageLogFilter } from '@autoprov/contract';
import { api, apiHref } from '../../../lib/api-client';

export const useUsageLog = (filter: UsageLogFilter, cursor: string | null, pageSize = 50) =>
  useQuery({
    queryKey: ['reports', 'usage', filter, cursor, pageSize],
    queryFn: () => api(routes.usageLog, { query: { ...filter, cursor: cursor ?? undefined, pageSize } }),
    placeholderData: keepPreviousData,
  });

export const useUsageSummary = (filter: UsageLogFilter) =>
  useQuery({
    queryKey: ['reports', 'usage-summary', filter],
    queryFn: () => api(routes.usageSummary, { query: filter }),
    placeholderData: keepPreviousData,
  });

/** The export link: the same filters, streamed by the server as CSV. */
export const usageCsvHref = (filter: UsageLogFilter) => apiHref(routes.usageCsv, { query: filter });

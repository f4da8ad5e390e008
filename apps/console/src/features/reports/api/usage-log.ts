import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { usageLogPageSchema, usageLogSummarySchema, type UsageLogFilter } from '@autoprov/contract';
import { api, queryString } from '../../../lib/api-client';

export const useUsageLog = (filter: UsageLogFilter, cursor: string | null, pageSize = 50) =>
  useQuery({
    queryKey: ['reports', 'usage', filter, cursor, pageSize],
    queryFn: () => api.get(`/reports/usage${queryString({ ...filter, cursor, pageSize })}`, usageLogPageSchema),
    placeholderData: keepPreviousData,
  });

export const useUsageSummary = (filter: UsageLogFilter) =>
  useQuery({
    queryKey: ['reports', 'usage-summary', filter],
    queryFn: () => api.get(`/reports/usage/summary${queryString(filter)}`, usageLogSummarySchema),
    placeholderData: keepPreviousData,
  });

/** The export link: the same filters, streamed by the server as CSV. */
export const usageCsvHref = (filter: UsageLogFilter) => `/api/reports/usage.csv${queryString(filter)}`;

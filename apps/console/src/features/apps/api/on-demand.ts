import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { onDemandPlanSchema, onDemandRunSchema, onDemandStartedSchema } from '@autoprov/contract';
import { api, queryString } from '../../../lib/api-client';

// E-20: one user on demand.
const base = (key: string) => `/apps/${encodeURIComponent(key)}/configuration/on-demand`;

/** The plan for the user and why, from the same planner as the runs. */
export const useOnDemandPlan = (key: string, userId: string | null) =>
  useQuery({
    queryKey: ['apps', key, 'on-demand', userId],
    queryFn: () => api.get(`${base(key)}${queryString({ userId: userId! })}`, onDemandPlanSchema),
    enabled: userId !== null,
  });

export function useProvisionNow(key: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => api.post(`${base(key)}/run`, onDemandStartedSchema, { userId }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['apps', key], exact: true });
      void queryClient.invalidateQueries({ queryKey: ['apps', key, 'history'] });
    },
  });
}

const going = new Set(['pending', 'running']);

/** The run, its requests and answers, refreshed every half second until it ends. */
export const useOnDemandRun = (key: string, runId: string | null) =>
  useQuery({
    queryKey: ['apps', key, 'on-demand', 'runs', runId],
    queryFn: () => api.get(`${base(key)}/runs/${encodeURIComponent(runId!)}`, onDemandRunSchema),
    enabled: runId !== null,
    refetchInterval: (query) => (query.state.data && !going.has(query.state.data.run.state) ? false : 500),
  });

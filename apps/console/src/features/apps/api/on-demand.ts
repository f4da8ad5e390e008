import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { routes } from '@autoprov/contract';
import { api } from '../../../lib/api-client';

// E-20: one user on demand.

/** The plan for the user and why, from the same planner as the runs. */
export const useOnDemandPlan = (key: string, userId: string | null) =>
  useQuery({
    queryKey: ['apps', key, 'on-demand', userId],
    queryFn: () => api(routes.onDemandPlan, { params: { key }, query: { userId: userId! } }),
    enabled: userId !== null,
  });

export function useProvisionNow(key: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => api(routes.onDemandRunStart, { params: { key }, body: { userId } }),
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
    queryFn: () => api(routes.onDemandRun, { params: { key, runId: runId! } }),
    enabled: runId !== null,
    refetchInterval: (query) => (query.state.data && !going.has(query.state.data.run.state) ? false : 500),
  });

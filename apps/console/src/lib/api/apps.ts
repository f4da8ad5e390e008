import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  routes,
  type Impact,
  type SyncRun,
  type AppDetail,
  type AvailabilityInput,
  type BearerTokenInput,
  type DeprovisioningInput,
  type DriftModeInput,
  type MappingInput,
  type OAuthClientInput,
  type ReportFilter,
  type RequestLimitsInput,
  type ScopeInput,
  type SsoSettingsInput,
  type WizardStep,
} from '@autoprov/contract';
import { api, apiHref } from '../api-client';

export const appsQueryOptions = queryOptions({ queryKey: ['apps'], queryFn: () => api(routes.listApps) });
export const useApps = () => useQuery(appsQueryOptions);

const runningStates = new Set(['pending', 'running']);

export const appQueryOptions = (key: string) =>
  queryOptions({
    queryKey: ['apps', key],
    queryFn: () => api(routes.app, { params: { key } }),
    // While a run goes on, the page follows it (L-4); otherwise a slow look keeps L-5 fresh.
    refetchInterval: (query) => (query.state.data?.configuration?.currentRun ? 1000 : 15_000),
  });
export const useApp = (key: string) => useQuery(appQueryOptions(key));

/** Every change answers with the app's whole detail, which replaces the cached one. */
function useAppChange<TInput>(key: string, change: (input: TInput) => Promise<AppDetail>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: change,
    onSuccess: (detail) => {
      queryClient.setQueryData(['apps', key], detail);
      void queryClient.invalidateQueries({ queryKey: ['apps'], exact: true });
      // A change may have started a run (activation, scope, availability).
      void queryClient.invalidateQueries({ queryKey: ['apps', key, 'history'] });
    },
  });
}

export const useSaveSso = (key: string) => useAppChange(key, (input: SsoSettingsInput) => api(routes.saveSso, { params: { key }, body: input }));
export const useSetAvailability = (key: string) =>
  useAppChange(key, (input: AvailabilityInput) => api(routes.saveAvailability, { params: { key }, body: input }));
export const useStartSetup = (key: string) => useAppChange(key, () => api(routes.startSetup, { params: { key } }));
export const useReachStep = (key: string) =>
  useAppChange(key, (step: WizardStep) => api(routes.reachStep, { params: { key }, body: { step } }));
export const useSaveBearerToken = (key: string) =>
  useAppChange(key, (input: BearerTokenInput) => api(routes.saveBearerToken, { params: { key }, body: input }));
export const useSaveEndpoint = (key: string) =>
  useAppChange(key, (endpointUrl: string) => api(routes.saveEndpoint, { params: { key }, body: { endpointUrl } }));
export const useSaveMapping = (key: string) =>
  useAppChange(key, (input: MappingInput) => api(routes.saveMapping, { params: { key }, body: input }));
export const useSaveScope = (key: string) => useAppChange(key, (input: ScopeInput) => api(routes.saveScope, { params: { key }, body: input }));
export const useSaveDeprovisioning = (key: string) =>
  useAppChange(key, (input: DeprovisioningInput) => api(routes.saveDeprovisioning, { params: { key }, body: input }));
export const useFinishSetup = (key: string) => useAppChange(key, () => api(routes.finishSetup, { params: { key } }));
export const useSetActive = (key: string) =>
  useAppChange(key, (active: boolean) => api(routes.setActivation, { params: { key }, body: { active } }));
export const useDeleteConfiguration = (key: string) => useAppChange(key, () => api(routes.deleteConfiguration, { params: { key } }));
export const useCancelHeldRun = (key: string) => useAppChange(key, () => api(routes.cancelHeldRun, { params: { key } }));

export const useStartAuthorization = (key: string) =>
  useMutation({
    mutationFn: (client?: OAuthClientInput) =>
      api(routes.startAuthorization, { params: { key }, body: client ? { client } : {} }),
  });

export const useCheckEndpoint = (key: string) =>
  useMutation({ mutationFn: (endpointUrl: string) => api(routes.checkEndpoint, { params: { key }, body: { endpointUrl } }) });

export const useMappingPreview = (key: string, rows: MappingInput['rows'] | null) =>
  useQuery({
    queryKey: ['apps', key, 'preview', rows],
    queryFn: () => api(routes.previewMapping, { params: { key }, body: { rows: rows! } }),
    enabled: rows !== null,
    placeholderData: (previous) => previous,
  });

function useRunStarter(key: string, start: (input: { dryRun: boolean }) => Promise<{ runId: string }>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: start,
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['apps', key], exact: true });
      await queryClient.invalidateQueries({ queryKey: ['apps', key, 'history'] });
    },
  });
}

export const useSyncNow = (key: string) => useRunStarter(key, (input) => api(routes.syncNow, { params: { key }, body: input }));
export const useAllowHeldRun = (key: string) => useRunStarter(key, () => api(routes.allowHeldRun, { params: { key } }));

/** E-17 "Retry now": one probe of the quarantined app; the page then shows where it stands. */
export function useRetryQuarantined(key: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api(routes.retryQuarantined, { params: { key } }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['apps', key], exact: true });
      await queryClient.invalidateQueries({ queryKey: ['apps', key, 'history'] });
    },
  });
}

/** E-16: one user's failed operation tried again now. */
export function useRetryEscrowed(key: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (userId: string) => api(routes.retryEscrowed, { params: { key, userId } }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['apps', key], exact: true });
      await queryClient.invalidateQueries({ queryKey: ['apps', key, 'history'] });
    },
  });
}
/** E-19: a full run that also reads what the app holds and sets drifted accounts back. */
export const useReconcileNow = (key: string) => useRunStarter(key, () => api(routes.reconcileNow, { params: { key } }));
/** E-19 and M-6: the drift setting, with what a switch would do first. */
export const fetchDriftImpact = (key: string, input: DriftModeInput) => api(routes.driftPreview, { params: { key }, body: input });
export const useSetDriftMode = (key: string) => useAppChange(key, (input: DriftModeInput) => api(routes.setDriftMode, { params: { key }, body: input }));
export const useSetRequestLimits = (key: string) =>
  useAppChange(key, (input: RequestLimitsInput) => api(routes.setRequestLimits, { params: { key }, body: input }));
export const useResetRequestLimits = (key: string) => useAppChange(key, () => api(routes.resetRequestLimits, { params: { key } }));

export const useRun = (key: string, runId: string | null) =>
  useQuery({
    queryKey: ['apps', key, 'runs', runId],
    queryFn: () => api(routes.run, { params: { key, runId: runId! } }),
    enabled: runId !== null,
    refetchInterval: (query) => (query.state.data && !runningStates.has(query.state.data.state) ? false : 500),
  });

export type SyncRunView = SyncRun;

export const useRunHistory = (key: string, cursor: string | null, enabled = true) =>
  useQuery({
    queryKey: ['apps', key, 'history', cursor],
    queryFn: () => api(routes.runs, { params: { key }, query: { cursor: cursor ?? undefined, pageSize: 10 } }),
    enabled,
    refetchInterval: (query) => (query.state.data?.items.some((r) => runningStates.has(r.state)) ? 1000 : 15_000),
  });

export const useReport = (key: string, runId: string, filter: ReportFilter, cursor: string | null, enabled: boolean) =>
  useQuery({
    queryKey: ['apps', key, 'report', runId, filter, cursor],
    queryFn: () => api(routes.runReport, { params: { key, runId }, query: { ...filter, cursor: cursor ?? undefined } }),
    enabled,
    placeholderData: keepPreviousData,
  });

export const reportCsvHref = (key: string, runId: string, filter: ReportFilter) =>
  apiHref(routes.runReportCsv, { params: { key, runId }, query: filter });

// M-6: what a change would do, asked before it is made.
export const fetchScopeImpact = (key: string, input: ScopeInput) => api(routes.previewScope, { params: { key }, body: input });
export const fetchDeprovisioningImpact = (key: string, input: DeprovisioningInput) =>
  api(routes.previewDeprovisioning, { params: { key }, body: input });
export const fetchAvailabilityImpact = (key: string, input: AvailabilityInput) => api(routes.previewAvailability, { params: { key }, body: input });

/** Asks for an impact, then shows it until the admin applies or cancels the change. */
export function useImpactPreview<TInput>(fetchImpact: (input: TInput) => Promise<Impact>) {
  return useMutation({ mutationFn: async (input: TInput) => ({ input, impact: await fetchImpact(input) }) });
}

export const useDeletionImpact = (key: string, enabled: boolean) =>
  useQuery({
    queryKey: ['apps', key, 'deletion-impact'],
    queryFn: () => api(routes.deletionImpact, { params: { key } }),
    enabled,
    staleTime: 0,
  });

/** M-6: the pending deprovisioning carried out now, before a deletion. */
export function useCarryOutTimers(key: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api(routes.carryOutTimers, { params: { key } }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['apps', key] });
    },
  });
}

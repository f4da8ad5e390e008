import { keepPreviousData, queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import {
  appDetailSchema,
  appListSchema,
  deletionImpactSchema,
  driftImpactSchema,
  impactSchema,
  endpointCheckSchema,
  mappingPreviewSchema,
  reportPageSchema,
  syncRunPageSchema,
  startAuthorizationResultSchema,
  syncRunSchema,
  syncRunStartedSchema,
  type AppDetail,
  type AvailabilityInput,
  type BearerTokenInput,
  type DeprovisioningInput,
  type DriftModeInput,
  type MappingInput,
  type OAuthClientInput,
  type ReportFilter,
  type ScopeInput,
  type SsoSettingsInput,
  type WizardStep,
} from '@autoprov/contract';
import { api, queryString } from '../../../lib/api-client';

const base = (key: string) => `/apps/${encodeURIComponent(key)}`;

export const appsQueryOptions = queryOptions({ queryKey: ['apps'], queryFn: () => api.get('/apps', appListSchema) });
export const useApps = () => useQuery(appsQueryOptions);

const runningStates = new Set(['pending', 'running']);

export const appQueryOptions = (key: string) =>
  queryOptions({
    queryKey: ['apps', key],
    queryFn: () => api.get(base(key), appDetailSchema),
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

export const useSaveSso = (key: string) => useAppChange(key, (input: SsoSettingsInput) => api.put(`${base(key)}/sso`, appDetailSchema, input));
export const useSetAvailability = (key: string) =>
  useAppChange(key, (input: AvailabilityInput) => api.put(`${base(key)}/availability`, appDetailSchema, input));
export const useStartSetup = (key: string) => useAppChange(key, () => api.post(`${base(key)}/configuration`, appDetailSchema));
export const useReachStep = (key: string) =>
  useAppChange(key, (step: WizardStep) => api.put(`${base(key)}/configuration/step`, appDetailSchema, { step }));
export const useSaveBearerToken = (key: string) =>
  useAppChange(key, (input: BearerTokenInput) => api.put(`${base(key)}/configuration/bearer-token`, appDetailSchema, input));
export const useSaveEndpoint = (key: string) =>
  useAppChange(key, (endpointUrl: string) => api.put(`${base(key)}/configuration/endpoint`, appDetailSchema, { endpointUrl }));
export const useSaveMapping = (key: string) =>
  useAppChange(key, (input: MappingInput) => api.put(`${base(key)}/configuration/mapping`, appDetailSchema, input));
export const useSaveScope = (key: string) => useAppChange(key, (input: ScopeInput) => api.put(`${base(key)}/configuration/scope`, appDetailSchema, input));
export const useSaveDeprovisioning = (key: string) =>
  useAppChange(key, (input: DeprovisioningInput) => api.put(`${base(key)}/configuration/deprovisioning`, appDetailSchema, input));
export const useFinishSetup = (key: string) => useAppChange(key, () => api.post(`${base(key)}/configuration/finish`, appDetailSchema));
export const useSetActive = (key: string) =>
  useAppChange(key, (active: boolean) => api.put(`${base(key)}/configuration/activation`, appDetailSchema, { active }));
export const useDeleteConfiguration = (key: string) => useAppChange(key, () => api.delete(`${base(key)}/configuration`, appDetailSchema));
export const useCancelHeldRun = (key: string) => useAppChange(key, () => api.post(`${base(key)}/configuration/held-run/cancel`, appDetailSchema));

export const useStartAuthorization = (key: string) =>
  useMutation({
    mutationFn: (client?: OAuthClientInput) =>
      api.post(`${base(key)}/configuration/authorization`, startAuthorizationResultSchema, client ? { client } : {}),
  });

export const useCheckEndpoint = (key: string) =>
  useMutation({ mutationFn: (endpointUrl: string) => api.post(`${base(key)}/configuration/endpoint/check`, endpointCheckSchema, { endpointUrl }) });

export const useMappingPreview = (key: string, rows: MappingInput['rows'] | null) =>
  useQuery({
    queryKey: ['apps', key, 'preview', rows],
    queryFn: () => api.post(`${base(key)}/configuration/mapping/preview`, mappingPreviewSchema, { rows }),
    enabled: rows !== null,
    placeholderData: (previous) => previous,
  });

function useRunStarter(key: string, path: string, body: (input: { dryRun: boolean }) => unknown) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { dryRun: boolean }) => api.post(`${base(key)}${path}`, syncRunStartedSchema, body(input)),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['apps', key], exact: true });
      await queryClient.invalidateQueries({ queryKey: ['apps', key, 'history'] });
    },
  });
}

export const useSyncNow = (key: string) => useRunStarter(key, '/configuration/sync', (input) => input);
export const useAllowHeldRun = (key: string) => useRunStarter(key, '/configuration/held-run/allow', () => ({}));
/** E-19: a full run that also reads what the app holds and sets drifted accounts back. */
export const useReconcileNow = (key: string) => useRunStarter(key, '/configuration/reconcile', () => ({}));
/** E-19 and M-6: the drift setting, with what a switch would do first. */
export const fetchDriftImpact = (key: string, input: DriftModeInput) => api.post(`${base(key)}/configuration/drift/preview`, driftImpactSchema, input);
export const useSetDriftMode = (key: string) => useAppChange(key, (input: DriftModeInput) => api.put(`${base(key)}/configuration/drift`, appDetailSchema, input));

export const useRun = (key: string, runId: string | null) =>
  useQuery({
    queryKey: ['apps', key, 'runs', runId],
    queryFn: () => api.get(`${base(key)}/configuration/runs/${encodeURIComponent(runId!)}`, syncRunSchema),
    enabled: runId !== null,
    refetchInterval: (query) => (query.state.data && !runningStates.has(query.state.data.state) ? false : 500),
  });

export type SyncRunView = z.infer<typeof syncRunSchema>;

export const useRunHistory = (key: string, cursor: string | null, enabled = true) =>
  useQuery({
    queryKey: ['apps', key, 'history', cursor],
    queryFn: () => api.get(`${base(key)}/configuration/runs${queryString({ cursor, pageSize: 10 })}`, syncRunPageSchema),
    enabled,
    refetchInterval: (query) => (query.state.data?.items.some((r) => runningStates.has(r.state)) ? 1000 : 15_000),
  });

export const useReport = (key: string, runId: string, filter: ReportFilter, cursor: string | null, enabled: boolean) =>
  useQuery({
    queryKey: ['apps', key, 'report', runId, filter, cursor],
    queryFn: () => api.get(`${base(key)}/configuration/runs/${encodeURIComponent(runId)}/report${queryString({ ...filter, cursor })}`, reportPageSchema),
    enabled,
    placeholderData: keepPreviousData,
  });

export const reportCsvHref = (key: string, runId: string, filter: ReportFilter) =>
  `/api${base(key)}/configuration/runs/${encodeURIComponent(runId)}/report.csv${queryString(filter)}`;

// M-6: what a change would do, asked before it is made.
export const fetchScopeImpact = (key: string, input: ScopeInput) => api.post(`${base(key)}/configuration/scope/preview`, impactSchema, input);
export const fetchDeprovisioningImpact = (key: string, input: DeprovisioningInput) =>
  api.post(`${base(key)}/configuration/deprovisioning/preview`, impactSchema, input);
export const fetchAvailabilityImpact = (key: string, input: AvailabilityInput) => api.post(`${base(key)}/availability/preview`, impactSchema, input);

/** Asks for an impact, then shows it until the admin applies or cancels the change. */
export function useImpactPreview<TInput>(fetchImpact: (input: TInput) => Promise<z.infer<typeof impactSchema>>) {
  return useMutation({ mutationFn: async (input: TInput) => ({ input, impact: await fetchImpact(input) }) });
}

export const useDeletionImpact = (key: string, enabled: boolean) =>
  useQuery({
    queryKey: ['apps', key, 'deletion-impact'],
    queryFn: () => api.get(`${base(key)}/configuration/deletion-impact`, deletionImpactSchema),
    enabled,
    staleTime: 0,
  });

/** M-6: the pending deprovisioning carried out now, before a deletion. */
export function useCarryOutTimers(key: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post(`${base(key)}/configuration/timers/carry-out`, syncRunStartedSchema, {}),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['apps', key] });
    },
  });
}

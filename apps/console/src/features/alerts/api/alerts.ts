import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { routes, type AlertSettingsInput } from '@autoprov/contract';
import { api } from '../../../lib/api-client';

export const notificationsQueryOptions = queryOptions({
  queryKey: ['alerts', 'notifications'],
  queryFn: () => api(routes.notifications),
  // Alerts come from runs in the background: keep the list fresh while it is open.
  refetchInterval: 5_000,
});

export const alertSettingsQueryOptions = queryOptions({
  queryKey: ['alerts', 'settings'],
  queryFn: () => api(routes.alertSettings),
});

export function useSaveAlertSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: AlertSettingsInput) => api(routes.saveAlertSettings, { body: input }),
    onSuccess: (saved) => queryClient.setQueryData(alertSettingsQueryOptions.queryKey, { ...saved, webhookSecret: undefined }),
  });
}

export function useReplaceWebhookSecret() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api(routes.replaceWebhookSecret),
    onSuccess: (saved) => queryClient.setQueryData(alertSettingsQueryOptions.queryKey, { ...saved, webhookSecret: undefined }),
  });
}

export const useTestDelivery = (channel: 'email' | 'webhook') =>
  useMutation({ mutationFn: () => api(channel === 'email' ? routes.testEmail : routes.testWebhook) });

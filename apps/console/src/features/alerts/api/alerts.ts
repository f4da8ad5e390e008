import { queryOptions, useMutation, useQueryClient } from '@tanstack/react-query';
import { z } from 'zod';
import { alertSettingsSchema, notificationSchema, testDeliveryResultSchema, type AlertSettingsInput } from '@autoprov/contract';
import { api } from '../../../lib/api-client';

export const notificationsQueryOptions = queryOptions({
  queryKey: ['alerts', 'notifications'],
  queryFn: () => api.get('/alerts/notifications', z.object({ items: z.array(notificationSchema) })),
  // Alerts come from runs in the background: keep the list fresh while it is open.
  refetchInterval: 5_000,
});

export const alertSettingsQueryOptions = queryOptions({
  queryKey: ['alerts', 'settings'],
  queryFn: () => api.get('/alerts/settings', alertSettingsSchema),
});

export function useSaveAlertSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: AlertSettingsInput) => api.put('/alerts/settings', alertSettingsSchema, input),
    onSuccess: (saved) => queryClient.setQueryData(alertSettingsQueryOptions.queryKey, { ...saved, webhookSecret: undefined }),
  });
}

export function useReplaceWebhookSecret() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post('/alerts/settings/webhook-secret', alertSettingsSchema),
    onSuccess: (saved) => queryClient.setQueryData(alertSettingsQueryOptions.queryKey, { ...saved, webhookSecret: undefined }),
  });
}

export const useTestDelivery = (channel: 'email' | 'webhook') =>
  useMutation({ mutationFn: () => api.post(channel === 'email' ? '/alerts/test-email' : '/alerts/test-webhook', testDeliveryResultSchema) });

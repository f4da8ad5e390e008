import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { sessionSchema, setupStatusSchema, type SetupInput, type SignInInput } from '@autoprov/contract';
import { api, ApiError, setCsrfToken } from './api-client';

/** The signed-in admin, or null when signed out. */
export const sessionQueryOptions = queryOptions({
  queryKey: ['session'],
  queryFn: async () => {
    try {
      const session = await api.get('/session', sessionSchema);
      setCsrfToken(session.csrfToken);
      return session;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        setCsrfToken(null);
        return null;
      }
      throw err;
    }
  },
  staleTime: 60_000,
});

export const useSession = () => useQuery(sessionQueryOptions);

/** S-1: the one place the console decides whether edit controls exist. */
export function useCanWrite(): boolean {
  return useSession().data?.admin.role === 'super_admin';
}

export const setupStatusQueryOptions = queryOptions({
  queryKey: ['setup-status'],
  queryFn: () => api.get('/setup', setupStatusSchema),
});

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: SignInInput) => api.post('/session', sessionSchema, input),
    onSuccess: (session) => {
      setCsrfToken(session.csrfToken);
      queryClient.setQueryData(sessionQueryOptions.queryKey, session);
    },
  });
}

export function useSetup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: SetupInput) => api.post('/setup', sessionSchema, input),
    onSuccess: (session) => {
      setCsrfToken(session.csrfToken);
      queryClient.setQueryData(sessionQueryOptions.queryKey, session);
      queryClient.setQueryData(setupStatusQueryOptions.queryKey, { needsSetup: false });
    },
  });
}

export function useSignOut() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete('/session'),
    onSettled: () => {
      setCsrfToken(null);
      queryClient.clear();
      queryClient.setQueryData(sessionQueryOptions.queryKey, null);
    },
  });
}

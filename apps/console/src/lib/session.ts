import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { routes, type SetupInput, type SignInInput } from '@autoprov/contract';
import { api, ApiError, setCsrfToken } from './api-client';

/** The signed-in admin, or null when signed out. */
export const sessionQueryOptions = queryOptions({
  queryKey: ['session'],
  queryFn: async () => {
    try {
      const session = await api(routes.session);
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
  queryFn: () => api(routes.setupStatus),
});

export function useSignIn() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: SignInInput) => api(routes.signIn, { body: input }),
    onSuccess: (session) => {
      setCsrfToken(session.csrfToken);
      queryClient.setQueryData(sessionQueryOptions.queryKey, session);
    },
  });
}

export function useSetup() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: SetupInput) => api(routes.setup, { body: input }),
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
    mutationFn: () => api(routes.signOut),
    onSettled: () => {
      setCsrfToken(null);
      queryClient.clear();
      queryClient.setQueryData(sessionQueryOptions.queryKey, null);
    },
  });
}

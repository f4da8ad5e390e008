import { MutationCache, QueryCache, QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Toaster } from 'sonner';
import { ApiError } from '../lib/api-client';

export function makeQueryClient() {
  // A session that ended (idle timeout, signed out elsewhere) makes any call answer 401: forget
  // the session, and the routes send the admin to sign in.
  const onError = (err: unknown) => {
    if (err instanceof ApiError && err.code === 'unauthenticated') client.setQueryData(['session'], null);
  };
  const client: QueryClient = new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        // A refusal will not change on retry; a network blip may.
        retry: (count, err) => count < 2 && !(err instanceof ApiError && err.status >= 400 && err.status < 500),
        refetchOnWindowFocus: false,
      },
    },
  });
  return client;
}

export function AppProvider({ children }: { children: ReactNode }) {
  const [client] = useState(makeQueryClient);
  return (
    <QueryClientProvider client={client}>
      {children}
      {/* M-6: "what was done" after an action; a polite live region, read out by screen readers. */}
      <Toaster position="bottom-right" closeButton richColors={false} />
    </QueryClientProvider>
  );
}

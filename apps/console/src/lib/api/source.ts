import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { routes, type GoogleConnectInput } from '@autoprov/contract';
import { api } from '../api-client';
import { useCanWrite } from '../session';

export const useDirectorySource = () =>
  useQuery({ queryKey: ['directory', 'source'], queryFn: () => api(routes.directorySource), staleTime: 30_000 });

/** S-1 and seed 003: edits need a super-admin, and a directory that is not read from Google. */
export function useCanEditDirectory(): boolean {
  const canWrite = useCanWrite();
  const source = useDirectorySource();
  return canWrite && source.data?.kind === 'built_in';
}

export const useCheckGoogle = () => useMutation({ mutationFn: (input: GoogleConnectInput) => api(routes.checkGoogle, { body: input }) });
export const usePreviewGoogle = () => useMutation({ mutationFn: (input: GoogleConnectInput) => api(routes.previewGoogle, { body: input }) });

function useSourceChange<T>(change: (input: T) => Promise<unknown>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: change,
    // Everything in the directory (and the apps paused by a switch) may have changed.
    onSuccess: () => Promise.all([queryClient.invalidateQueries({ queryKey: ['directory'] }), queryClient.invalidateQueries({ queryKey: ['apps'] })]),
  });
}

export const useConnectGoogle = () => useSourceChange((input: GoogleConnectInput) => api(routes.connectGoogle, { body: input }));
export const useReadGoogleNow = () => useSourceChange(() => api(routes.readGoogle));
export const useDisconnectGoogle = () => useSourceChange(() => api(routes.disconnectGoogle));

import { useQuery } from '@tanstack/react-query';
import { Navigate, Outlet, useLocation } from 'react-router';
import { sessionQueryOptions } from '../../lib/session';
import { Standalone } from '../../components/layout/standalone';
import { ErrorState, Loading } from '../../components/ui/states';
import { paths } from '../../lib/paths';

/** Sends a signed-out visitor to sign in, remembering where they were going. */
export function RequireSession() {
  const session = useQuery(sessionQueryOptions);
  const location = useLocation();
  if (session.isPending) {
    return (
      <Standalone>
        <Loading />
      </Standalone>
    );
  }
  if (session.isError) {
    return (
      <Standalone>
        <div className="card narrow">
          <h1>autoprov cannot be reached</h1>
          <ErrorState error={session.error} onRetry={() => session.refetch()} />
        </div>
      </Standalone>
    );
  }
  if (!session.data) {
    return <Navigate to={paths.signInThen(location.pathname + location.search)} replace />;
  }
  // A super-admin requires two-factor sign-in: the server opens nothing else until it is set up.
  if (session.data.twoFactor.setupRequired && location.pathname !== paths.accountSecurity) {
    return <Navigate to={paths.accountSecurity} replace />;
  }
  return <Outlet />;
}

import { isRouteErrorResponse, Link, useRouteError } from 'react-router';
import { Standalone } from '../../components/layout/standalone';
import { Page } from '../../components/ui/page';
import { paths } from '../../lib/paths';

export function NotFoundRoute() {
  return (
    <Page title="Page not found">
      <p>There is nothing at this address.</p>
      <Link to={paths.apps}>Go to the console</Link>
    </Page>
  );
}

/** What a page that failed to render shows, instead of the router's bare default. */
export function RouteErrorPage() {
  const error = useRouteError();
  const notFound = isRouteErrorResponse(error) && error.status === 404;
  return (
    <Standalone>
      <div className="card narrow">
        <h1>{notFound ? 'Page not found' : 'Something went wrong'}</h1>
        <p>{notFound ? 'There is nothing at this address.' : 'This page could not be shown. Reloading it may help.'}</p>
        <a href={paths.apps}>Go to the console</a>
      </div>
    </Standalone>
  );
}

import { Link } from 'react-router';
import { Page } from '../../components/ui/page';
import { EmptyState } from '../../components/ui/states';

export function ReportsRoute() {
  return (
    <Page title="Reports">
      <EmptyState title="Nothing has been provisioned yet">
        <p>The usage log, sync history and reports appear here once an app is provisioned.</p>
      </EmptyState>
    </Page>
  );
}

export function NotFoundRoute() {
  return (
    <Page title="Page not found">
      <p>There is nothing at this address.</p>
      <Link to="/apps">Go to the console</Link>
    </Page>
  );
}

import { Link } from 'react-router';
import { Page } from '../../components/ui/page';

export function NotFoundRoute() {
  return (
    <Page title="Page not found">
      <p>There is nothing at this address.</p>
      <Link to="/apps">Go to the console</Link>
    </Page>
  );
}

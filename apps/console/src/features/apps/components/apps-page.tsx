import { Link } from 'react-router';
import { Page } from '../../../components/ui/page';
import { ErrorState, Loading } from '../../../components/ui/states';
import { useApps } from '../../../lib/api/apps';
import { stateLabels } from '../../../lib/labels';
import { paths } from '../../../lib/paths';

/** "Web and mobile apps": the catalog, with each app's provisioning state. */
export function AppsPage() {
  const apps = useApps();
  return (
    <Page title="Web and mobile apps">
      {apps.isPending ? (
        <Loading />
      ) : apps.isError ? (
        <ErrorState error={apps.error} onRetry={() => void apps.refetch()} />
      ) : (
        <table className="table">
          <caption className="visually-hidden">Apps in the catalog</caption>
          <thead>
            <tr>
              <th scope="col">App</th>
              <th scope="col">SSO</th>
              <th scope="col">Automatic provisioning</th>
            </tr>
          </thead>
          <tbody>
            {apps.data.items.map((app) => (
              <tr key={app.key}>
                <td>
                  <Link to={paths.app(app.key)}>{app.name}</Link>
                  <div className="muted">{app.description}</div>
                </td>
                <td>{app.ssoConfigured ? 'Configured' : 'Not configured'}</td>
                <td>
                  <span className={`badge state-${app.provisioningState ?? 'none'}`}>
                    {app.provisioningState === null
                      ? 'Not set up'
                      : app.provisioningState === 'draft' && !app.setupComplete
                        ? 'Setup in progress'
                        : stateLabels[app.provisioningState]}
                  </span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Page>
  );
}

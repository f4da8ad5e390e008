import { Link } from 'react-router';
import { Page } from '../../../components/ui/page';
import { ErrorState, Loading } from '../../../components/ui/states';
import { useOrgUnits } from '../api/org-units';
import { paths } from '../../../lib/paths';

export function OrgUnits() {
  const units = useOrgUnits();
  return (
    <Page title="Org units">
      {units.isPending ? (
        <Loading />
      ) : units.isError ? (
        <ErrorState error={units.error} onRetry={() => units.refetch()} />
      ) : (
        <ul className="tree">
          {units.data.items.map((ou) => {
            const depth = ou.path === '/' ? 0 : ou.path.split('/').length - 1;
            return (
              <li key={ou.id} style={{ paddingLeft: `${depth * 1.5}rem` }}>
                <Link to={paths.users({ orgUnit: ou.id })}>{ou.path === '/' ? `${ou.name} (/)` : ou.name}</Link>{' '}
                <span className="muted">
                  {ou.userCount} {ou.userCount === 1 ? 'user' : 'users'}
                </span>
              </li>
            );
          })}
        </ul>
      )}
    </Page>
  );
}

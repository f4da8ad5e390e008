import { Navigate, useNavigate, useParams } from 'react-router';
import { Page } from '../../../components/ui/page';
import { ErrorState, Loading } from '../../../components/ui/states';
import { useCanWrite } from '../../auth/api/session';
import { useApp } from '../api/apps';
import { DeprovisioningForm } from './deprovisioning-form';
import { ScopeEditor, scopeDraftOf } from './scope-editor';

function useManagedApp() {
  const { key = '' } = useParams();
  const app = useApp(key);
  const canWrite = useCanWrite();
  return { key, app, canWrite };
}

/** M-1: the scope screen of the wizard, with "Update". */
export function EditScopePage() {
  const { key, app, canWrite } = useManagedApp();
  const navigate = useNavigate();
  if (app.isPending) return <Loading />;
  if (app.isError) return <ErrorState error={app.error} onRetry={() => void app.refetch()} />;
  if (!canWrite || !app.data.configuration) return <Navigate to={`/apps/${key}`} replace />;
  return (
    <Page title={`Provisioning scope for ${app.data.app.name}`}>
      <section className="card">
        <ScopeEditor
          detail={app.data}
          initial={scopeDraftOf(app.data.configuration)}
          submitLabel="Update"
          backLabel="Cancel"
          onSaved={() => navigate(`/apps/${key}`)}
          onBack={() => navigate(`/apps/${key}`)}
        />
      </section>
    </Page>
  );
}

/** M-2: the deprovisioning screen of the wizard, with "Update". */
export function EditDeprovisioningPage() {
  const { key, app, canWrite } = useManagedApp();
  const navigate = useNavigate();
  if (app.isPending) return <Loading />;
  if (app.isError) return <ErrorState error={app.error} onRetry={() => void app.refetch()} />;
  if (!canWrite || !app.data.configuration) return <Navigate to={`/apps/${key}`} replace />;
  return (
    <Page title={`Deprovisioning for ${app.data.app.name}`}>
      <section className="card">
        <DeprovisioningForm
          detail={app.data}
          initial={app.data.configuration.deprovisioning}
          submitLabel="Update"
          backLabel="Cancel"
          onSaved={() => navigate(`/apps/${key}`)}
          onBack={() => navigate(`/apps/${key}`)}
        />
      </section>
    </Page>
  );
}

import type { ReactNode } from 'react';
import { Navigate, useNavigate, useParams } from 'react-router';
import type { AppDetail } from '@autoprov/contract';
import { Page } from '../../../components/ui/page';
import { ErrorState, Loading } from '../../../components/ui/states';
import { useCanWrite } from '../../../lib/session';
import { useApp } from '../../../lib/api/apps';
import { DeprovisioningForm } from './deprovisioning-form';
import { ScopeEditor, scopeDraftOf } from './scope-editor';
import { paths } from '../../../lib/paths';

interface EditorProps {
  detail: AppDetail;
  configuration: NonNullable<AppDetail['configuration']>;
  done: () => void;
}

/** A wizard screen reused to change a configured app (M-1, M-2): "Update" and "Cancel" go back to the app. */
function ManagePage({ title, editor }: { title: (appName: string) => string; editor: (props: EditorProps) => ReactNode }) {
  const { key = '' } = useParams();
  const app = useApp(key);
  const canWrite = useCanWrite();
  const navigate = useNavigate();
  if (app.isPending) return <Loading />;
  if (app.isError) return <ErrorState error={app.error} onRetry={() => void app.refetch()} />;
  const configuration = app.data.configuration;
  if (!canWrite || !configuration) return <Navigate to={paths.app(key)} replace />;
  return (
    <Page title={title(app.data.app.name)}>
      <section className="card">{editor({ detail: app.data, configuration, done: () => navigate(paths.app(key)) })}</section>
    </Page>
  );
}

/** M-1: the scope screen of the wizard, with "Update". */
export function EditScopePage() {
  return (
    <ManagePage
      title={(name) => `Provisioning scope for ${name}`}
      editor={({ detail, configuration, done }) => (
        <ScopeEditor detail={detail} initial={scopeDraftOf(configuration)} submitLabel="Update" backLabel="Cancel" onSaved={done} onBack={done} />
      )}
    />
  );
}

/** M-2: the deprovisioning screen of the wizard, with "Update". */
export function EditDeprovisioningPage() {
  return (
    <ManagePage
      title={(name) => `Deprovisioning for ${name}`}
      editor={({ detail, configuration, done }) => (
        <DeprovisioningForm detail={detail} initial={configuration.deprovisioning} submitLabel="Update" backLabel="Cancel" onSaved={done} onBack={done} />
      )}
    />
  );
}

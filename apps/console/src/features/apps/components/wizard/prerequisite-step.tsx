import { Link } from 'react-router';
import { FormActions } from '../../../../components/ui/form-actions';
import { type StepProps } from './step';
import { paths } from '../../../../lib/paths';

/** W-1: SSO must be configured before provisioning is set up. */
export function PrerequisiteStep({ detail, next, back }: StepProps) {
  return (
    <form
      className="stack"
      onSubmit={(e) => {
        e.preventDefault();
        if (detail.sso) next();
      }}
    >
      {detail.sso ? (
        <p>
          SSO is configured for {detail.app.name} (entity ID {detail.sso.entityId}). Users will sign in to the accounts autoprov creates with their
          directory identity.
        </p>
      ) : (
        <p className="notice" role="alert">
          SSO is not configured for {detail.app.name}. Automatic provisioning needs it:{' '}
          <Link to={paths.appSso(detail.app.key, { fromWizard: true })}>configure SSO first</Link>.
        </p>
      )}
      <p className="muted">
        In the next steps you authorize autoprov in {detail.app.name}, give its endpoint URL, map attributes, choose who is provisioned and what
        happens when people leave. Nothing reaches the app until you activate provisioning at the end.
      </p>
      <FormActions onBack={back} disabled={!detail.sso} />
    </form>
  );
}

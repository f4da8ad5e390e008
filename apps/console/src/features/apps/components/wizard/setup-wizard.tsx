import { useState, type ReactNode } from 'react';
import { Link, Navigate, useNavigate, useParams } from 'react-router';
import { wizardSteps, type WizardStep } from '@autoprov/contract';
import { Page } from '../../../../components/ui/page';
import { ErrorState, Loading } from '../../../../components/ui/states';
import { useCanWrite } from '../../../../lib/session';
import { useApp } from '../../../../lib/api/apps';
import { AuthorizeStep } from './authorize-step';
import { DeprovisioningStep } from './deprovisioning-step';
import { EndpointStep } from './endpoint-step';
import { FinishStep } from './finish-step';
import { MappingStep } from './mapping-step';
import { PrerequisiteStep } from './prerequisite-step';
import { ScopeStep } from './scope-step';
import { WizardMemory, type StepProps } from './step';
import { paths } from '../../../../lib/paths';

export const stepTitles: Record<WizardStep, string> = {
  prerequisite: 'Prerequisite',
  authorize: 'Authorize',
  endpoint: 'Endpoint URL',
  mapping: 'Attribute mapping',
  scope: 'Provisioning scope',
  deprovisioning: 'Deprovisioning',
  finish: 'Finish',
};

/** The setup wizard (SPEC §2): one screen per step, Back and Continue, the draft saved on the server. */
export function SetupWizard() {
  const { key = '', step = 'prerequisite' } = useParams();
  const app = useApp(key);
  const navigate = useNavigate();
  const canWrite = useCanWrite();
  const [memory] = useState(() => new Map<WizardStep, unknown>());
  if (!(wizardSteps as readonly string[]).includes(step)) return <Navigate to={paths.setupStep(key, 'prerequisite')} replace />;
  if (app.isPending) return <Loading />;
  if (app.isError) return <ErrorState error={app.error} onRetry={() => void app.refetch()} />;
  const detail = app.data;
  const configuration = detail.configuration;
  const current = step as WizardStep;
  if (!canWrite) return <Navigate to={paths.app(key)} replace />;
  if (!configuration) {
    return (
      <Page title={`Set up provisioning for ${detail.app.name}`}>
        <p>The setup has not been started. Start it from the app's page.</p>
        <Link to={paths.app(key)}>Go to {detail.app.name}</Link>
      </Page>
    );
  }
  const index = wizardSteps.indexOf(current);
  const go = (i: number) => navigate(paths.setupStep(key, wizardSteps[i] ?? 'prerequisite'));
  const props: StepProps = { detail, configuration, next: () => go(index + 1), back: () => (index === 0 ? navigate(paths.app(key)) : go(index - 1)) };
  const screens: Record<WizardStep, ReactNode> = {
    prerequisite: <PrerequisiteStep {...props} />,
    authorize: <AuthorizeStep {...props} />,
    endpoint: <EndpointStep {...props} />,
    mapping: <MappingStep {...props} />,
    scope: <ScopeStep {...props} />,
    deprovisioning: <DeprovisioningStep {...props} />,
    finish: <FinishStep {...props} />,
  };
  const reached = wizardSteps.indexOf(configuration.wizardStep);
  return (
    <Page title={`Set up provisioning for ${detail.app.name}`}>
      <nav aria-label="Setup steps">
        <ol className="stepper">
          {wizardSteps.map((s, i) => (
            <li key={s} className={i === index ? 'current' : i < index ? 'done' : ''}>
              {i <= Math.max(reached, index) && i !== index ? (
                <Link to={paths.setupStep(key, s)}>
                  {i + 1}. {stepTitles[s]}
                </Link>
              ) : (
                <span aria-current={i === index ? 'step' : undefined}>
                  {i + 1}. {stepTitles[s]}
                </span>
              )}
            </li>
          ))}
        </ol>
      </nav>
      <WizardMemory.Provider value={memory}>
        <section className="card stack wizard-step" aria-labelledby="step-heading" key={current}>
          <h2 id="step-heading">
            Step {index + 1} of {wizardSteps.length}: {stepTitles[current]}
          </h2>
          {screens[current]}
        </section>
      </WizardMemory.Provider>
    </Page>
  );
}

import { createContext, useContext, useState, type ReactNode } from 'react';
import { Link, Navigate, useNavigate, useParams } from 'react-router';
import { wizardSteps, type AppDetail, type WizardStep } from '@autoprov/contract';
import { Page } from '../../../../components/ui/page';
import { ErrorState, Loading } from '../../../../components/ui/states';
import { useCanWrite } from '../../../auth/api/session';
import { useApp } from '../../api/apps';
import { AuthorizeStep } from './authorize-step';
import { DeprovisioningStep } from './deprovisioning-step';
import { EndpointStep } from './endpoint-step';
import { FinishStep } from './finish-step';
import { MappingStep } from './mapping-step';
import { PrerequisiteStep } from './prerequisite-step';
import { ScopeStep } from './scope-step';

export const stepTitles: Record<WizardStep, string> = {
  prerequisite: 'Prerequisite',
  authorize: 'Authorize',
  endpoint: 'Endpoint URL',
  mapping: 'Attribute mapping',
  scope: 'Provisioning scope',
  deprovisioning: 'Deprovisioning',
  finish: 'Finish',
};

export interface StepProps {
  detail: AppDetail;
  configuration: NonNullable<AppDetail['configuration']>;
  /** Goes to the next screen (after the step saved what it needs). */
  next: () => void;
  back: () => void;
}

/**
 * What was typed on a screen and not saved yet, kept while the admin goes Back and forth.
 * A reload falls back to what the server saved on Continue.
 */
const WizardMemory = createContext<Map<WizardStep, unknown>>(new Map());

export function useRemembered<T>(step: WizardStep): { remembered: T | undefined; remember: (values: T) => void } {
  const memory = useContext(WizardMemory);
  return { remembered: memory.get(step) as T | undefined, remember: (values) => memory.set(step, values) };
}

/** The setup wizard (SPEC §2): one screen per step, Back and Continue, the draft saved on the server. */
export function SetupWizard() {
  const { key = '', step = 'prerequisite' } = useParams();
  const app = useApp(key);
  const navigate = useNavigate();
  const canWrite = useCanWrite();
  const [memory] = useState(() => new Map<WizardStep, unknown>());
  if (!(wizardSteps as readonly string[]).includes(step)) return <Navigate to={`/apps/${key}/setup/prerequisite`} replace />;
  if (app.isPending) return <Loading />;
  if (app.isError) return <ErrorState error={app.error} onRetry={() => void app.refetch()} />;
  const detail = app.data;
  const configuration = detail.configuration;
  const current = step as WizardStep;
  if (!canWrite) return <Navigate to={`/apps/${key}`} replace />;
  if (!configuration) {
    return (
      <Page title={`Set up provisioning for ${detail.app.name}`}>
        <p>The setup has not been started. Start it from the app's page.</p>
        <Link to={`/apps/${key}`}>Go to {detail.app.name}</Link>
      </Page>
    );
  }
  const index = wizardSteps.indexOf(current);
  const go = (i: number) => navigate(`/apps/${key}/setup/${wizardSteps[i]}`);
  const props: StepProps = { detail, configuration, next: () => go(index + 1), back: () => (index === 0 ? navigate(`/apps/${key}`) : go(index - 1)) };
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
                <Link to={`/apps/${key}/setup/${s}`}>
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

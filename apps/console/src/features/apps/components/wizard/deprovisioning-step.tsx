import type { DeprovisioningInput } from '@autoprov/contract';
import { DeprovisioningForm } from '../deprovisioning-form';
import { type StepProps, useRemembered } from './step';

/** W-6. */
export function DeprovisioningStep({ detail, configuration, next, back }: StepProps) {
  const { remembered, remember } = useRemembered<DeprovisioningInput>('deprovisioning');
  return (
    <DeprovisioningForm
      detail={detail}
      initial={remembered ?? configuration.deprovisioning}
      submitLabel="Continue"
      onSaved={next}
      onBack={back}
      onLeave={remember}
    />
  );
}

import { ScopeEditor, scopeDraftOf, type ScopeDraft } from '../scope-editor';
import { type StepProps, useRemembered } from './step';

/** W-5 (optional). */
export function ScopeStep({ detail, configuration, next, back }: StepProps) {
  const { remembered, remember } = useRemembered<ScopeDraft>('scope');
  return (
    <ScopeEditor detail={detail} initial={remembered ?? scopeDraftOf(configuration)} submitLabel="Continue" onSaved={next} onBack={back} onLeave={remember} />
  );
}

import { createContext, useContext } from 'react';
import type { AppDetail, WizardStep } from '@autoprov/contract';

// What the wizard gives each step screen; its own module so the screens and the wizard do not import each other.

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
export const WizardMemory = createContext<Map<WizardStep, unknown>>(new Map());

export function useRemembered<T>(step: WizardStep): { remembered: T | undefined; remember: (values: T) => void } {
  const memory = useContext(WizardMemory);
  return { remembered: memory.get(step) as T | undefined, remember: (values) => memory.set(step, values) };
}

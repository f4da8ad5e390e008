import { useId, type ReactNode } from 'react';
import type { FieldError } from 'react-hook-form';

interface FieldProps {
  label: string;
  error?: FieldError | undefined;
  hint?: ReactNode;
  required?: boolean;
  /** Receives the ids the control must carry to be labelled and described. */
  children: (props: { id: string; 'aria-invalid': boolean; 'aria-describedby': string | undefined }) => ReactNode;
}

/** A labelled form control with its hint and its error (from the form or from the server). */
export function Field({ label, error, hint, required, children }: FieldProps) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        {required ? <span aria-hidden="true"> *</span> : null}
      </label>
      {children({ id, 'aria-invalid': Boolean(error), 'aria-describedby': describedBy })}
      {hint ? (
        <p className="hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {error?.message ? (
        <p className="field-error" id={errorId} role="alert">
          {error.message}
        </p>
      ) : null}
    </div>
  );
}

import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm, type DefaultValues, type FieldValues, type Mode } from 'react-hook-form';
import type { z } from 'zod';
import { applyServerErrors } from './form-errors';

interface SchemaFormOptions<TInput extends FieldValues, TOutput, TResult> {
  /** The contract's schema: checked in the browser first, as the server checks it. */
  schema: z.ZodType<TOutput, TInput>;
  defaultValues: DefaultValues<TInput>;
  /** The fields the server may name in its error: its message goes next to them, any other above the form. */
  serverFields: readonly string[] | ((values: TInput) => readonly string[]);
  /** What Submit does with the checked values (usually a mutation's mutateAsync). */
  submit: (values: TOutput) => Promise<TResult>;
  onSuccess?: (result: TResult, values: TOutput) => void;
  /** Errors this form explains itself; return true when handled. */
  onError?: (err: unknown) => boolean;
  mode?: Mode;
}

/**
 * A form wired to a zod schema, a mutation and the server's field errors: `onSubmit` clears the
 * alert, submits the checked values and puts the server's messages next to their fields (or in
 * `alert`, shown above the form). `fail` does the same for a form's other actions.
 */
export function useSchemaForm<TInput extends FieldValues, TOutput = TInput, TResult = unknown>(options: SchemaFormOptions<TInput, TOutput, TResult>) {
  const { schema, defaultValues, serverFields, submit, onSuccess, onError, mode } = options;
  const [alert, setAlert] = useState<string | null>(null);
  const form = useForm<TInput, unknown, TOutput>({ resolver: zodResolver(schema), defaultValues, ...(mode ? { mode } : {}) });
  const fail = (err: unknown) => {
    if (onError?.(err)) return;
    setAlert(applyServerErrors(err, typeof serverFields === 'function' ? serverFields(form.getValues()) : serverFields, form.setError));
  };
  const onSubmit = form.handleSubmit(async (values) => {
    setAlert(null);
    let result: TResult;
    try {
      result = await submit(values);
    } catch (err) {
      fail(err);
      return;
    }
    onSuccess?.(result, values);
  });
  return { form, alert, setAlert, onSubmit, fail };
}

import { requestLimitsSchema, type AppDetail, type CatalogLimits, type Configuration, type RequestLimitsInput } from '@autoprov/contract';
import { Field } from '../../../components/ui/field';
import { ErrorState, FormAlert } from '../../../components/ui/states';
import { useResetRequestLimits, useSetRequestLimits } from '../../../lib/api/apps';
import { notify } from '../../../lib/notify';
import { useCanWrite } from '../../../lib/session';
import { useSchemaForm } from '../../../lib/use-schema-form';

const perSecond = (rate: number) => (rate >= 1 ? `${rate.toLocaleString()} a second` : `${(rate * 60).toLocaleString(undefined, { maximumFractionDigits: 2 })} a minute`);

/** Limits in words: `5 a second, bursts of 10, 2 at once`, and each limit on some operations. */
function LimitsList({ limits, label }: { limits: CatalogLimits; label: string }) {
  return (
    <ul aria-label={label}>
      <li>
        {perSecond(limits.ratePerSecond)}, bursts of {limits.burst}, {limits.concurrency} at once
      </li>
      {(limits.perOperation ?? []).map((l) => (
        <li key={l.operations.join()}>
          {l.operations.join(' and ')}: {perSecond(l.ratePerSecond)}, bursts of {l.burst}
        </li>
      ))}
    </ul>
  );
}

/**
 * E-18: the request limits autoprov paces the app by: the catalog's (with the vendor's page they
 * come from), and a super-admin's instead, or the catalog's again. Read-only admins see them.
 */
export function RequestLimits({ detail, configuration }: { detail: AppDetail; configuration: Configuration | null }) {
  const canWrite = useCanWrite();
  const { app } = detail;
  const override = configuration?.requestLimits.override ?? null;
  return (
    <section className="card stack" aria-labelledby="request-limits-heading">
      <h2 id="request-limits-heading">Request limits</h2>
      <p>
        autoprov paces every request to {app.name} by these limits. When {app.name} answers "too many requests", it slows down further and waits as long as
        the app asks, for every request to it.
      </p>
      <h3>Published in the catalog</h3>
      <LimitsList limits={app.limits} label="The catalog's limits" />
      <p className="muted">
        {app.limitsSource ? (
          <>
            Source:{' '}
            <a href={app.limitsSource} target="_blank" rel="noreferrer">
              {app.limitsSource}
            </a>
          </>
        ) : (
          `No published number behind them: they are a conservative choice, and a 429 from ${app.name} slows autoprov down further.`
        )}
      </p>
      {configuration ? (
        <>
          <h3>In use</h3>
          <p>{override ? 'Set by a super-admin:' : "The catalog's."}</p>
          {override ? <LimitsList limits={configuration.requestLimits.effective} label="The limits in use" /> : null}
          {canWrite ? (
            // Remounted with what the server saved, so the form shows the limits in use.
            <RequestLimitsForm key={JSON.stringify(configuration.requestLimits.effective)} appKey={app.key} effective={configuration.requestLimits.effective} overridden={override !== null} />
          ) : null}
        </>
      ) : null}
    </section>
  );
}

function RequestLimitsForm({ appKey, effective, overridden }: { appKey: string; effective: CatalogLimits; overridden: boolean }) {
  const save = useSetRequestLimits(appKey);
  const reset = useResetRequestLimits(appKey);
  const operations = effective.perOperation ?? [];
  const serverFields = ['ratePerSecond', 'burst', 'concurrency', ...operations.flatMap((l, i) => [`perOperation.${i}.ratePerSecond`, `perOperation.${i}.burst`, `perOperation.${i}.operations`])];
  const { form, alert, onSubmit } = useSchemaForm({
    schema: requestLimitsSchema,
    defaultValues: effective as RequestLimitsInput,
    serverFields,
    submit: save.mutateAsync,
    onSuccess: () => notify.done('Request limits saved: the next sync is paced by them.'),
  });
  const { errors } = form.formState;
  const number = { valueAsNumber: true } as const;
  const backToCatalog = () =>
    reset.mutate(undefined, {
      onSuccess: () => notify.done("Request limits set back to the catalog's."),
    });
  return (
    <form className="stack" onSubmit={onSubmit} noValidate aria-label="Change the request limits">
      <FormAlert message={alert} />
      <Field label="Requests per second" required error={errors.ratePerSecond} hint="0.01 to 1,000; decimals allowed (0.5 is one every two seconds)">
        {(a) => <input {...a} type="number" step="any" inputMode="decimal" {...form.register('ratePerSecond', number)} />}
      </Field>
      <Field label="Burst" required error={errors.burst} hint="Requests that may start at once after a quiet spell (1 to 1,000)">
        {(a) => <input {...a} type="number" step={1} {...form.register('burst', number)} />}
      </Field>
      <Field label="Requests at once" required error={errors.concurrency} hint="Requests in flight at the same time (1 to 64)">
        {(a) => <input {...a} type="number" step={1} {...form.register('concurrency', number)} />}
      </Field>
      {operations.map((limit, i) => (
        <fieldset key={limit.operations.join()}>
          <legend>{limit.operations.join(' and ')}</legend>
          <Field label="Requests per second" required error={errors.perOperation?.[i]?.ratePerSecond}>
            {(a) => <input {...a} type="number" step="any" inputMode="decimal" {...form.register(`perOperation.${i}.ratePerSecond`, number)} />}
          </Field>
          <Field label="Burst" required error={errors.perOperation?.[i]?.burst}>
            {(a) => <input {...a} type="number" step={1} {...form.register(`perOperation.${i}.burst`, number)} />}
          </Field>
        </fieldset>
      ))}
      {reset.error ? <ErrorState error={reset.error} /> : null}
      <div className="actions start">
        <button type="submit" className="primary" disabled={form.formState.isSubmitting}>
          Save request limits
        </button>
        {overridden ? (
          <button type="button" className="secondary" disabled={reset.isPending} onClick={backToCatalog}>
            Back to the catalog's limits
          </button>
        ) : null}
      </div>
    </form>
  );
}

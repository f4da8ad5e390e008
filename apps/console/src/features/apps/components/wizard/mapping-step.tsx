import { useEffect, useMemo } from 'react';
import { useWatch } from 'react-hook-form';
import { directoryAttributes, mappingInputSchemaFor, type MappingInput } from '@autoprov/contract';
import { FormAlert } from '../../../../components/ui/states';
import { useDebounced } from '../../../../lib/use-debounced';
import { useSchemaForm } from '../../../../lib/use-schema-form';
import { useMappingPreview, useSaveMapping } from '../../../../lib/api/apps';
import { useDirectorySource } from '../../../../lib/api/source';
import { FormActions } from '../../../../components/ui/form-actions';
import { type StepProps, useRemembered } from './step';

/** W-4: a row per app attribute; required ones (*) must be mapped; a live preview of one real user. */
export function MappingStep({ detail, configuration, next, back }: StepProps) {
  const key = detail.app.key;
  const save = useSaveMapping(key);
  const schema = useMemo(() => mappingInputSchemaFor(detail.app), [detail.app]);
  const { remembered, remember } = useRemembered<MappingInput>('mapping');
  const { form, alert, onSubmit: submit } = useSchemaForm({
    schema,
    defaultValues: remembered ?? { rows: detail.app.attributes.map((a) => ({ attribute: a.path, source: configuration.mapping[a.path] ?? '' })) },
    serverFields: detail.app.attributes.map((_, i) => `rows.${i}.source`),
    submit: save.mutateAsync,
    onSuccess: next,
  });
  useEffect(() => () => remember(form.getValues()), [form, remember]);
  const rows = useWatch({ control: form.control, name: 'rows' });
  const previewRows = useDebounced(JSON.stringify(rows), 300);
  const preview = useMappingPreview(key, useMemo(() => JSON.parse(previewRows) as MappingInput['rows'], [previewRows]));
  const rowErrors = form.formState.errors.rows;
  const fromGoogle = useDirectorySource().data?.kind === 'google';
  const photoMapped = rows?.some((r) => r.source === 'photoUrl');

  return (
    <form className="stack" onSubmit={submit} noValidate>
      <p>
        Choose, for each {detail.app.name} attribute, the directory attribute it takes its value from. Attributes marked <span aria-hidden="true">*</span>
        <span className="visually-hidden">as required</span> are required.
      </p>
      <FormAlert message={alert ?? (rowErrors?.root?.message || rowErrors?.message) ?? null} />
      <table>
        <thead>
          <tr>
            <th scope="col">{detail.app.name} attribute</th>
            <th scope="col">Directory attribute</th>
          </tr>
        </thead>
        <tbody>
          {detail.app.attributes.map((attribute, i) => {
            const error = rowErrors?.[i]?.source;
            const id = `mapping-${i}`;
            return (
              <tr key={attribute.path}>
                <td>
                  <label htmlFor={id}>
                    {attribute.label}
                    {attribute.required ? <span aria-hidden="true"> *</span> : null}
                    {attribute.required ? <span className="visually-hidden"> (required)</span> : null}
                  </label>
                  <div className="muted small">{attribute.path}</div>
                </td>
                <td>
                  <select id={id} aria-invalid={Boolean(error)} aria-describedby={error ? `${id}-error` : undefined} aria-required={attribute.required} {...form.register(`rows.${i}.source`)}>
                    <option value="">{attribute.required ? 'Choose…' : 'Not mapped'}</option>
                    {Object.entries(directoryAttributes).map(([value, label]) => (
                      <option key={value} value={value}>
                        {label}
                      </option>
                    ))}
                  </select>
                  {error?.message ? (
                    <p className="field-error" id={`${id}-error`} role="alert">
                      {error.message}
                    </p>
                  ) : null}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      {fromGoogle && photoMapped ? (
        <p className="muted" id="photo-note">
          {directoryAttributes.photoUrl} stays empty for users read from Google Workspace: Google documents its photo address as possibly temporary or
          private, so {detail.app.name} would be given a picture that breaks or that it cannot open.
        </p>
      ) : null}
      <section aria-labelledby="preview-heading" className="preview">
        <h3 id="preview-heading">Preview</h3>
        {preview.data?.user ? (
          <>
            <p className="muted">What {preview.data.user.primaryEmail} would become in {detail.app.name}:</p>
            <dl className="details">
              {preview.data.attributes.map((a) => (
                <div key={a.attribute} className="contents">
                  <dt>{a.label}</dt>
                  <dd>{a.value ?? <span className="muted">(empty)</span>}</dd>
                </div>
              ))}
            </dl>
          </>
        ) : (
          <p className="muted">{preview.isPending ? 'Loading a directory user…' : 'There is no active user in the primary domain to preview.'}</p>
        )}
      </section>
      <FormActions onBack={back} pending={save.isPending} />
    </form>
  );
}

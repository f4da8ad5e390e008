import { userInputSchema, type UserInput, type UserInputParsed } from '@autoprov/contract';
import { Field } from '../../../components/ui/field';
import { FormAlert } from '../../../components/ui/states';
import { useSchemaForm } from '../../../lib/use-schema-form';
import { useOrgUnits } from '../api/org-units';

const fieldNames = ['primaryEmail', 'givenName', 'familyName', 'orgUnitId', 'jobTitle', 'department', 'phone', 'employeeId', 'photoUrl'] as const;

interface UserFormProps {
  defaultValues: UserInput;
  submitLabel: string;
  onSubmit: (values: UserInputParsed) => Promise<unknown>;
  onCancel?: () => void;
  /** Editing: where the user is now. */
  currentOrgUnitPath?: string;
}

/** One form for adding and editing a user, validated by the schema the server uses. */
export function UserForm({ defaultValues, submitLabel, onSubmit, onCancel, currentOrgUnitPath }: UserFormProps) {
  const orgUnits = useOrgUnits();
  const { form, alert, onSubmit: submit } = useSchemaForm({ schema: userInputSchema, defaultValues, serverFields: fieldNames, submit: onSubmit });
  const { errors } = form.formState;

  return (
    <form className="card form-grid" onSubmit={submit} noValidate>
      <FormAlert message={alert} />
      <Field label="First name" required error={errors.givenName}>
        {(a) => <input {...a} autoComplete="off" {...form.register('givenName')} />}
      </Field>
      <Field label="Last name" required error={errors.familyName}>
        {(a) => <input {...a} autoComplete="off" {...form.register('familyName')} />}
      </Field>
      <Field label="Primary e-mail" required error={errors.primaryEmail}>
        {(a) => <input {...a} type="email" autoComplete="off" {...form.register('primaryEmail')} />}
      </Field>
      <Field
        label="Organisational unit"
        required
        error={errors.orgUnitId ?? (orgUnits.isError ? { type: 'load', message: 'The org units could not be loaded.' } : undefined)}
        hint={currentOrgUnitPath ? `Now in ${currentOrgUnitPath}` : undefined}
      >
        {(a) =>
          // The select is registered once its options exist, so it opens on the user's own unit.
          orgUnits.data ? (
            <select {...a} {...form.register('orgUnitId')}>
              <option value="">Choose…</option>
              {orgUnits.data.items.map((ou) => (
                <option key={ou.id} value={ou.id}>
                  {ou.path}
                </option>
              ))}
            </select>
          ) : (
            <select {...a} disabled>
              <option>{currentOrgUnitPath ?? 'Loading…'}</option>
            </select>
          )
        }
      </Field>
      <Field label="Job title" error={errors.jobTitle}>
        {(a) => <input {...a} {...form.register('jobTitle')} />}
      </Field>
      <Field label="Department" error={errors.department}>
        {(a) => <input {...a} {...form.register('department')} />}
      </Field>
      <Field label="Phone" error={errors.phone}>
        {(a) => <input {...a} type="tel" {...form.register('phone')} />}
      </Field>
      <Field label="Employee ID" error={errors.employeeId}>
        {(a) => <input {...a} {...form.register('employeeId')} />}
      </Field>
      <Field label="Photo URL" error={errors.photoUrl}>
        {(a) => <input {...a} type="url" {...form.register('photoUrl')} />}
      </Field>
      <div className="actions">
        {onCancel ? (
          <button type="button" className="secondary" onClick={onCancel}>
            Cancel
          </button>
        ) : null}
        <button type="submit" className="primary" disabled={form.formState.isSubmitting}>
          {submitLabel}
        </button>
      </div>
    </form>
  );
}

export const emptyUser: UserInput = {
  primaryEmail: '',
  givenName: '',
  familyName: '',
  orgUnitId: '',
  jobTitle: '',
  department: '',
  phone: '',
  employeeId: '',
  photoUrl: '',
};

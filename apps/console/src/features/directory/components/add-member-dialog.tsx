import { useState } from 'react';
import { addGroupMemberSchema, type AddGroupMember } from '@autoprov/contract';
import type { FieldError } from 'react-hook-form';
import type { z } from 'zod';
import { GroupSearch } from '../../../components/group-search';
import { Dialog } from '../../../components/ui/dialog';
import { Field } from '../../../components/ui/field';
import { SearchCombobox } from '../../../components/ui/search-combobox';
import { FormAlert } from '../../../components/ui/states';
import { useSchemaForm } from '../../../lib/use-schema-form';
import { useAddGroupMember } from '../api/groups';
import { useUsers } from '../../../lib/api/users';
import { useDebounced } from '../../../lib/use-debounced';

type Kind = AddGroupMember['kind'];
type MemberInput = z.input<typeof addGroupMemberSchema>;

/** Adds a user, a nested group or someone outside the organisation to a group. */
export function AddMemberDialog({ groupId, open, onClose }: { groupId: string; open: boolean; onClose: () => void }) {
  const [search, setSearch] = useState('');
  const [chosen, setChosen] = useState<string | null>(null);
  const q = useDebounced(search);
  const users = useUsers({ q: q || undefined, pageSize: 8, status: 'active' });
  const add = useAddGroupMember(groupId);
  const { form, alert, setAlert, onSubmit } = useSchemaForm<MemberInput, AddGroupMember>({
    schema: addGroupMemberSchema,
    defaultValues: { kind: 'user' },
    serverFields: ['email', 'userId', 'groupId'],
    submit: (member) => add.mutateAsync(member),
    onSuccess: () => close(),
  });
  const kind = form.watch('kind') as Kind;
  // The form's values are one of three shapes; each field's error is read whichever is chosen.
  const errors = form.formState.errors as Partial<Record<'email' | 'userId' | 'groupId', FieldError>>;
  // The schema's own words for a missing id are a type error's; the dialog says what to do.
  const pickError = errors.userId ?? errors.groupId;
  const pickMessage = pickError ? (pickError.type === 'server' ? pickError.message : `Choose a ${kind} first.`) : null;

  const close = () => {
    setSearch('');
    setChosen(null);
    setAlert(null);
    form.reset({ kind: 'user' });
    onClose();
  };
  const pick = (field: 'userId' | 'groupId', id: string, label: string) => {
    form.setValue(field, id, { shouldValidate: form.formState.isSubmitted });
    setChosen(label);
  };
  const chooseKind = (k: Kind) => {
    form.reset(k === 'user' ? { kind: k } : k === 'group' ? { kind: k } : { kind: k });
    setChosen(null);
  };

  return (
    <Dialog open={open} title="Add member" onClose={close}>
      <form onSubmit={onSubmit} className="stack" noValidate>
        <FormAlert message={alert} />
        <fieldset>
          <legend>Kind of member</legend>
          {(['user', 'group', 'external'] as const).map((k) => (
            <label key={k} className="inline">
              <input
                type="radio"
                name="kind"
                value={k}
                checked={kind === k}
                onChange={() => chooseKind(k)}
              />{' '}
              {k === 'user' ? 'User' : k === 'group' ? 'Group' : 'Someone outside the organisation'}
            </label>
          ))}
        </fieldset>
        {kind === 'external' ? (
          <Field label="E-mail address" error={errors.email}>
            {(a11y) => <input type="email" autoComplete="off" {...a11y} {...form.register('email')} />}
          </Field>
        ) : (
          <>
            {kind === 'user' ? (
              <SearchCombobox
                label="Search users"
                placeholder="Type a name or an e-mail"
                query={search}
                onQueryChange={setSearch}
                options={q ? (users.data?.items ?? []).map((u) => ({ id: u.id, label: `${u.givenName} ${u.familyName}`, detail: u.primaryEmail })) : undefined}
                loading={users.isFetching || q !== search}
                noMatch={(t) => `No active user matches “${t}”.`}
                onPick={(o) => {
                  pick('userId', o.id, `${o.label} <${o.detail ?? ''}>`);
                  setSearch('');
                }}
              />
            ) : (
              <GroupSearch hidden={new Set([groupId])} onPick={(g) => pick('groupId', g.id, `${g.name} <${g.email}>`)} />
            )}
            {chosen ? <p role="status">Chosen: {chosen}</p> : null}
            {pickMessage ? (
              <p className="field-error" role="alert">
                {pickMessage}
              </p>
            ) : null}
          </>
        )}
        <div className="actions">
          <button type="button" className="secondary" onClick={close}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={add.isPending}>
            Add member
          </button>
        </div>
      </form>
    </Dialog>
  );
}

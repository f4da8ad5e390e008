import { useState } from 'react';
import type { AddGroupMember } from '@autoprov/contract';
import { GroupSearch } from '../../../components/group-search';
import { Dialog } from '../../../components/ui/dialog';
import { SearchCombobox } from '../../../components/ui/search-combobox';
import { FormAlert } from '../../../components/ui/states';
import { ApiError } from '../../../lib/api-client';
import { useAddGroupMember } from '../api/groups';
import { useUsers } from '../../../lib/api/users';
import { useDebounced } from '../../../lib/use-debounced';

type Kind = AddGroupMember['kind'];

/** Adds a user, a nested group or someone outside the organisation to a group. */
export function AddMemberDialog({ groupId, open, onClose }: { groupId: string; open: boolean; onClose: () => void }) {
  const [kind, setKind] = useState<Kind>('user');
  const [search, setSearch] = useState('');
  const [chosen, setChosen] = useState<{ id: string; label: string } | null>(null);
  const [email, setEmail] = useState('');
  const [alert, setAlert] = useState<string | null>(null);
  const q = useDebounced(search);
  const users = useUsers({ q: q || undefined, pageSize: 8, status: 'active' });
  const add = useAddGroupMember(groupId);

  const close = () => {
    setSearch('');
    setChosen(null);
    setEmail('');
    setAlert(null);
    onClose();
  };

  const submit = async (e: React.FormEvent) => {
    e.preventDefault();
    setAlert(null);
    let member: AddGroupMember;
    if (kind === 'external') member = { kind, email: email.trim() };
    else if (!chosen) return setAlert(`Choose a ${kind} first.`);
    else member = kind === 'user' ? { kind, userId: chosen.id } : { kind, groupId: chosen.id };
    try {
      await add.mutateAsync(member);
      close();
    } catch (err) {
      setAlert(err instanceof ApiError ? Object.values(err.fields)[0] ?? err.message : 'Something went wrong.');
    }
  };

  return (
    <Dialog open={open} title="Add member" onClose={close}>
      <form onSubmit={submit} className="stack">
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
                onChange={() => {
                  setKind(k);
                  setChosen(null);
                }}
              />{' '}
              {k === 'user' ? 'User' : k === 'group' ? 'Group' : 'Someone outside the organisation'}
            </label>
          ))}
        </fieldset>
        {kind === 'external' ? (
          <label>
            E-mail address
            <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} />
          </label>
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
                  setChosen({ id: o.id, label: `${o.label} <${o.detail ?? ''}>` });
                  setSearch('');
                }}
              />
            ) : (
              <GroupSearch hidden={new Set([groupId])} onPick={(g) => setChosen({ id: g.id, label: `${g.name} <${g.email}>` })} />
            )}
            {chosen ? <p role="status">Chosen: {chosen.label}</p> : null}
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

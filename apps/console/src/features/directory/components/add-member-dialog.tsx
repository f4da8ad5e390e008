import { useState } from 'react';
import type { AddGroupMember } from '@autoprov/contract';
import { Dialog } from '../../../components/ui/dialog';
import { FormAlert } from '../../../components/ui/states';
import { ApiError } from '../../../lib/api-client';
import { useAddGroupMember, useGroups } from '../api/groups';
import { useUsers } from '../api/users';
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
  const groups = useGroups({ q: q || undefined, pageSize: 8 });
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

  const options =
    kind === 'user'
      ? (users.data?.items ?? []).map((u) => ({ id: u.id, label: `${u.givenName} ${u.familyName} <${u.primaryEmail}>` }))
      : (groups.data?.items ?? []).filter((g) => g.id !== groupId).map((g) => ({ id: g.id, label: `${g.name} <${g.email}>` }));

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
            <label>
              {kind === 'user' ? 'Search users' : 'Search groups'}
              <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="Type a name or an e-mail" />
            </label>
            <ul className="choices" role="listbox" aria-label={kind === 'user' ? 'Users' : 'Groups'}>
              {options.map((o) => (
                <li key={o.id} role="option" aria-selected={chosen?.id === o.id} tabIndex={0} onClick={() => setChosen(o)} onKeyDown={(e) => (e.key === 'Enter' || e.key === ' ') && (e.preventDefault(), setChosen(o))}>
                  {o.label}
                </li>
              ))}
            </ul>
            {chosen ? <p>Chosen: {chosen.label}</p> : null}
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

import { useState } from 'react';
import type { Admin, ResetLink } from '@autoprov/contract';
import { Dialog } from '../../../components/ui/dialog';
import { FormAlert } from '../../../components/ui/states';
import { ApiError } from '../../../lib/api-client';
import { useCreateResetLink } from '../api/admins';

/** S-6: a super-admin makes a one-time link for another admin, to hand over in person or by chat. */
export function ResetLinkDialog({ admin, onClose }: { admin: Admin; onClose: () => void }) {
  const create = useCreateResetLink();
  const [clearTwoFactor, setClearTwoFactor] = useState(false);
  const [link, setLink] = useState<ResetLink | null>(null);
  const [alert, setAlert] = useState<string | null>(null);
  return (
    <Dialog open title={`Reset the password of ${admin.email}`} onClose={onClose}>
      {link ? (
        <div className="stack">
          <p>
            Give this link to {admin.name}. It works once, until {new Date(link.expiresAt).toLocaleString()}; a newer link replaces it.
          </p>
          <label className="field">
            One-time link
            <input readOnly value={link.url} onFocus={(e) => e.currentTarget.select()} />
          </label>
          <div className="actions">
            <button type="button" className="primary" onClick={onClose}>
              Done
            </button>
          </div>
        </div>
      ) : (
        <form
          className="stack"
          onSubmit={async (e) => {
            e.preventDefault();
            setAlert(null);
            try {
              setLink(await create.mutateAsync({ id: admin.id, clearTwoFactor }));
            } catch (err) {
              setAlert(err instanceof ApiError ? err.message : 'Something went wrong.');
            }
          }}
        >
          <p>{admin.email} will choose a new password with the link; their sessions end when they do.</p>
          <FormAlert message={alert} />
          {admin.twoFactorEnabled ? (
            <label>
              <input type="checkbox" checked={clearTwoFactor} onChange={(e) => setClearTwoFactor(e.target.checked)} /> Also turn off their
              two-factor sign-in (they lost their authenticator)
            </label>
          ) : null}
          <div className="actions">
            <button type="button" className="secondary" onClick={onClose}>
              Cancel
            </button>
            <button type="submit" className="primary" disabled={create.isPending}>
              Create the link
            </button>
          </div>
        </form>
      )}
    </Dialog>
  );
}

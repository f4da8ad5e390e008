import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { FormAlert } from '../../../components/ui/states';
import { ApiError } from '../../../lib/api-client';
import { notify } from '../../../lib/notify';
import { securitySettingsQueryOptions, useSaveSecuritySettings } from '../api/admins';

/** S-6: a super-admin can require two-factor sign-in for every admin. */
export function TwoFactorPolicy({ canWrite }: { canWrite: boolean }) {
  const settings = useQuery(securitySettingsQueryOptions);
  const save = useSaveSecuritySettings();
  const [alert, setAlert] = useState<string | null>(null);
  if (!settings.data) return null;
  const required = settings.data.requireTwoFactor;
  return (
    <section className="card stack" aria-labelledby="policy-heading">
      <h2 id="policy-heading">Two-factor sign-in</h2>
      <FormAlert message={alert} />
      <label>
        <input
          type="checkbox"
          checked={required}
          disabled={!canWrite || save.isPending}
          onChange={async (e) => {
            setAlert(null);
            try {
              await save.mutateAsync({ requireTwoFactor: e.target.checked });
              notify.done(e.target.checked ? 'Every admin must now use two-factor sign-in.' : 'Two-factor sign-in is now optional.');
            } catch (err) {
              setAlert(err instanceof ApiError ? err.message : 'Something went wrong.');
            }
          }}
        />{' '}
        Require two-factor sign-in for every admin
      </label>
      <p className="hint">Admins without it can only set it up (in Account security) until they do.</p>
    </section>
  );
}

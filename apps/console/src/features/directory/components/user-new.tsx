import { useNavigate } from 'react-router';
import { Page } from '../../../components/ui/page';
import { useCreateUser } from '../../../lib/api/users';
import { emptyUser, UserForm } from './user-form';
import { paths } from '../../../lib/paths';

export function UserNew() {
  const create = useCreateUser();
  const navigate = useNavigate();
  return (
    <Page title="Add user">
      <UserForm
        defaultValues={emptyUser}
        submitLabel="Save"
        onCancel={() => navigate(paths.users())}
        onSubmit={async (values) => {
          const user = await create.mutateAsync(values);
          navigate(paths.user(user.id));
        }}
      />
    </Page>
  );
}

import { useNavigate } from 'react-router';
import { Page } from '../../../components/ui/page';
import { useCreateUser } from '../api/users';
import { emptyUser, UserForm } from './user-form';

export function UserNew() {
  const create = useCreateUser();
  const navigate = useNavigate();
  return (
    <Page title="Add user">
      <UserForm
        defaultValues={emptyUser}
        submitLabel="Save"
        onCancel={() => navigate('/directory/users')}
        onSubmit={async (values) => {
          const user = await create.mutateAsync(values);
          navigate(`/directory/users/${user.id}`);
        }}
      />
    </Page>
  );
}

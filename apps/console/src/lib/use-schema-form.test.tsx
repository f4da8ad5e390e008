import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { Field } from '../components/ui/field';
import { FormAlert } from '../components/ui/states';
import { ApiError } from './api-client';
import { useSchemaForm } from './use-schema-form';

const schema = z.object({ email: z.email('Enter an e-mail address.') });

function EmailForm({ submit, onSuccess }: { submit: (values: { email: string }) => Promise<string>; onSuccess: (result: string) => void }) {
  const { form, alert, onSubmit } = useSchemaForm({ schema, defaultValues: { email: '' }, serverFields: ['email'], submit, onSuccess });
  return (
    <form onSubmit={onSubmit} noValidate>
      <FormAlert message={alert} />
      <Field label="E-mail" error={form.formState.errors.email}>
        {(a) => <input {...a} {...form.register('email')} />}
      </Field>
      <button type="submit">Save</button>
    </form>
  );
}

async function typeAndSave(email: string) {
  await userEvent.type(screen.getByLabelText('E-mail'), email);
  await userEvent.click(screen.getByRole('button', { name: 'Save' }));
}

describe('useSchemaForm', () => {
  it('checks the schema in the browser before anything is sent', async () => {
    const sent: string[] = [];
    render(<EmailForm submit={async ({ email }) => (sent.push(email), 'ok')} onSuccess={() => {}} />);
    await typeAndSave('not an address');
    expect(await screen.findByText('Enter an e-mail address.')).toBeTruthy();
    expect(sent).toEqual([]);
  });

  it("puts the server's field message next to its field, and the others above the form", async () => {
    let answer = new ApiError(409, 'conflict', 'Already taken.', { email: 'An admin already has this e-mail.' });
    render(
      <EmailForm
        submit={() => Promise.reject(answer)}
        onSuccess={() => {
          throw new Error('not a success');
        }}
      />,
    );
    await typeAndSave('ada@example.com');
    expect(await screen.findByText('An admin already has this e-mail.')).toBeTruthy();
    expect(document.querySelector('.form-alert')).toBeNull();

    answer = new ApiError(429, 'rate_limited', 'Try again in a minute.');
    await userEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByText('Try again in a minute.')).className).toBe('form-alert');
  });

  it("hands the mutation's result to onSuccess", async () => {
    const results: string[] = [];
    render(<EmailForm submit={async ({ email }) => `saved ${email}`} onSuccess={(r) => results.push(r)} />);
    await typeAndSave('ada@example.com');
    await vi.waitFor(() => expect(results).toEqual(['saved ada@example.com']));
  });
});

import { renderPage } from '../../../test/render.tsx';
import { screen, waitFor } from '@testing-library/react';
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ApiError } from '../../../lib/api-client.ts';
import { ApplicationForm, type PostingValues } from './application-form.tsx';

const JOB = 'Build and run the payment platform for millions of customers, in TypeScript.';

function renderForm(onSubmit: (v: PostingValues) => Promise<void>) {
  return renderPage(<ApplicationForm submitLabel="Add application" onSubmit={onSubmit} />);
}

const field = (name: string) => screen.getByLabelText(name);

describe('<ApplicationForm>', () => {
  test('when a required field is left empty, then its error shows on leaving it, tied to the input', async () => {
    const { user } = renderForm(() => Promise.resolve());
    assert.equal(screen.queryByText('is required'), null, 'no error before the user touches it');
    await user.click(field('Company'));
    await user.tab();
    const error = screen.getByText('is required');
    assert.equal(field('Company').getAttribute('aria-invalid'), 'true');
    assert.ok(
      field('Company').getAttribute('aria-describedby')?.split(' ').includes(error.id),
      'the error describes the input',
    );
    assert.equal(field('Role').getAttribute('aria-invalid'), 'false', 'untouched: not yet');
  });

  test('when an invalid form is submitted, then every problem shows and nothing is sent', async () => {
    const sent: PostingValues[] = [];
    const { user } = renderForm((v) => {
      sent.push(v);
      return Promise.resolve();
    });
    await user.type(field('Link to the posting (optional)'), 'not a link');
    await user.type(field('Job description'), 'Too short.');
    await user.click(screen.getByRole('button', { name: 'Add application' }));
    assert.equal(screen.getAllByText('is required').length, 2, 'company and role');
    screen.getByText('must be a valid http(s) URL');
    screen.getByText('must be at least 50 characters');
    screen.getByText('At least 50 characters (10 so far).');
    assert.deepEqual(sent, []);
  });

  test('when the form is valid, then it sends the values and shows it is saving until done', async () => {
    let finish!: () => void;
    const sent: PostingValues[] = [];
    const { user } = renderForm((v) => {
      sent.push(v);
      return new Promise<void>((resolve) => (finish = resolve));
    });
    await user.type(field('Company'), 'Acme');
    await user.type(field('Role'), 'Backend Engineer');
    await user.type(field('Job description'), JOB);
    await user.click(screen.getByRole('button', { name: 'Add application' }));
    const saving = screen.getByRole('button', { name: 'Saving…' });
    assert.equal((saving as HTMLButtonElement).disabled, true);
    assert.deepEqual(sent, [
      {
        company_name: 'Acme',
        role_title: 'Backend Engineer',
        location: '',
        job_url: '',
        job_description: JOB,
      },
    ]);
    finish();
    await screen.findByRole('button', { name: 'Add application' });
  });

  test('when the API refuses a field, then its message shows inline and in an alert, and clears on edit', async () => {
    const { user } = renderForm(() =>
      Promise.reject(
        new ApiError(400, 'validation_failed', 'Some fields are invalid.', {
          company_name: 'is already used by another application',
        }),
      ),
    );
    await user.type(field('Company'), 'Acme');
    await user.type(field('Role'), 'Backend Engineer');
    await user.type(field('Job description'), JOB);
    await user.click(screen.getByRole('button', { name: 'Add application' }));
    assert.equal((await screen.findByRole('alert')).textContent, 'Some fields are invalid.');
    screen.getByText('is already used by another application');
    assert.equal(field('Company').getAttribute('aria-invalid'), 'true');
    await user.type(field('Company'), ' Ltd');
    await waitFor(() =>
      assert.equal(screen.queryByText('is already used by another application'), null),
    );
  });
});

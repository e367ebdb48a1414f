import { mockApi, renderPage } from '../../../test/render.tsx';
import { screen, waitFor } from '@testing-library/react';
import assert from 'node:assert/strict';
import { afterEach, describe, test } from 'node:test';
import { SESSION_ENDED_MESSAGE } from '../../../lib/api-client.ts';
import { getSession, signedOut } from '../../../lib/session-store.ts';
import { SignInPage } from './sign-in-page.tsx';

const restores: (() => void)[] = [];
afterEach(() => {
  restores.splice(0).forEach((r) => r());
  signedOut(null);
});

/** The sign-in page over a fake API whose /auth/login answers `status` with `body`. */
function signInPage(status: number, body: unknown) {
  const api = mockApi((call) =>
    call.method === 'POST' && call.path === '/auth/login' ? { status, body } : undefined,
  );
  restores.push(api.restore);
  return { ...renderPage(<SignInPage />, { path: '/sign-in' }), calls: api.calls };
}

const apiError = (code: string, message: string) => ({ error: { code, message } });

describe('<SignInPage>', () => {
  test('when the form is sent empty, then both fields say they are required and nothing is sent', async () => {
    const { user, calls } = signInPage(200, {});
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    assert.equal(screen.getAllByText('is required').length, 2);
    assert.equal(screen.getByLabelText('Email').getAttribute('aria-invalid'), 'true');
    assert.equal(screen.getByLabelText('Password').getAttribute('aria-invalid'), 'true');
    assert.deepEqual(calls, []);
  });

  test('when the password is wrong, then the API’s message shows as an alert and the user stays signed out', async () => {
    const { user, calls } = signInPage(
      401,
      apiError('invalid_credentials', 'The email or password is incorrect.'),
    );
    await user.type(screen.getByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'wrong password');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    const alert = await screen.findByRole('alert');
    assert.equal(alert.textContent, 'The email or password is incorrect.');
    assert.deepEqual(
      calls.map((c) => [c.method, c.path, c.body]),
      [['POST', '/auth/login', { email: 'ada@example.com', password: 'wrong password' }]],
      'one attempt, no refresh-and-retry on the sign-in call',
    );
    assert.equal(getSession().status, 'signed-out');
    assert.equal(screen.getByLabelText<HTMLInputElement>('Password').value, 'wrong password');
  });

  test('when sign-in is throttled, then the user is told to wait', async () => {
    const { user } = signInPage(
      429,
      apiError(
        'too_many_requests',
        'Too many failed sign-in attempts. Wait a few minutes and try again.',
      ),
    );
    await user.type(screen.getByLabelText('Email'), 'ada@example.com');
    await user.type(screen.getByLabelText('Password'), 'x');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    assert.match((await screen.findByRole('alert')).textContent ?? '', /Wait a few minutes/);
  });

  test('when the session expired, then the page says why the user must sign in again', () => {
    signedOut(SESSION_ENDED_MESSAGE);
    signInPage(200, {});
    const status = screen.getByRole('status');
    assert.equal(
      status.textContent,
      'Your session has ended (it expired, or you signed out elsewhere). Please sign in again.',
    );
    assert.equal(screen.queryByRole('alert'), null);
  });

  test('when the credentials are right, then the session starts', async () => {
    const user = {
      id: '00000000-0000-4000-8000-000000000001',
      email: 'ada@example.com',
      first_name: 'Ada',
      last_name: 'Example',
    };
    const page = signInPage(200, { user, access_token: 'token', expires_in: 900 });
    await page.user.type(screen.getByLabelText('Email'), 'ada@example.com');
    await page.user.type(screen.getByLabelText('Password'), 'correct horse battery');
    await page.user.click(screen.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => assert.equal(getSession().status, 'signed-in'));
    assert.equal(getSession().accessToken, 'token');
    await screen.findByText('Elsewhere'); // redirected away from the sign-in page
  });
});

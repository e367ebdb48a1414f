import { useState, type FormEvent } from 'react';
import { Link, Navigate, useLocation } from 'react-router';
import { Button } from '../../../components/ui/button.tsx';
import { Alert, errorMessage } from '../../../components/ui/feedback.tsx';
import { Field, Input } from '../../../components/ui/field.tsx';
import { fieldErrors } from '../../../lib/form-errors.ts';
import { useSession } from '../../../lib/session-store.ts';
import { signIn, signInForm } from '../api/auth.ts';
import { AuthLayout } from './auth-layout.tsx';

export function SignInPage() {
  const session = useSession();
  const location = useLocation();
  const [values, setValues] = useState({ email: '', password: '' });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (session.status === 'signed-in') {
    const from = (location.state as { from?: string } | null)?.from;
    return <Navigate to={from && from !== '/sign-in' ? from : '/'} replace />;
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    const found = fieldErrors(signInForm, values);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    setFailure(null);
    try {
      await signIn(values);
    } catch (err) {
      setFailure(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthLayout title="Sign in">
      <form noValidate onSubmit={(e) => void submit(e)} className="flex flex-col gap-3">
        {session.message && <Alert kind="info">{session.message}</Alert>}
        {failure && <Alert>{failure}</Alert>}
        <Field label="Email" error={errors.email}>
          {(p) => (
            <Input
              {...p}
              type="email"
              autoComplete="email"
              value={values.email}
              onChange={(e) => setValues({ ...values, email: e.target.value })}
            />
          )}
        </Field>
        <Field label="Password" error={errors.password}>
          {(p) => (
            <Input
              {...p}
              type="password"
              autoComplete="current-password"
              value={values.password}
              onChange={(e) => setValues({ ...values, password: e.target.value })}
            />
          )}
        </Field>
        <Button type="submit" disabled={busy}>
          {busy ? 'Signing in…' : 'Sign in'}
        </Button>
        <p className="text-sm">
          New here? <Link to="/sign-up">Create an account</Link>
        </p>
      </form>
    </AuthLayout>
  );
}

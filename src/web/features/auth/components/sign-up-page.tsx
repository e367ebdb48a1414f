import { useState, type FormEvent } from 'react';
import { Link, Navigate } from 'react-router';
import { Button } from '../../../components/ui/button.tsx';
import { Alert, errorMessage } from '../../../components/ui/feedback.tsx';
import { Field, Input } from '../../../components/ui/field.tsx';
import { ApiError } from '../../../lib/api-client.ts';
import { fieldErrors } from '../../../lib/form-errors.ts';
import { useSession } from '../../../lib/session-store.ts';
import { signUp, signUpForm, type SignUpForm } from '../api/auth.ts';
import { AuthLayout } from './auth-layout.tsx';

const FIELDS: {
  name: keyof SignUpForm;
  label: string;
  type: string;
  autoComplete: string;
  hint?: string;
}[] = [
  { name: 'first_name', label: 'First name', type: 'text', autoComplete: 'given-name' },
  { name: 'last_name', label: 'Last name', type: 'text', autoComplete: 'family-name' },
  { name: 'email', label: 'Email', type: 'email', autoComplete: 'email' },
  {
    name: 'password',
    label: 'Password',
    type: 'password',
    autoComplete: 'new-password',
    hint: 'At least 8 characters.',
  },
];

export function SignUpPage() {
  const session = useSession();
  const [values, setValues] = useState<SignUpForm>({
    email: '',
    password: '',
    first_name: '',
    last_name: '',
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (session.status === 'signed-in') return <Navigate to="/" replace />;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const found = fieldErrors(signUpForm, values);
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    setFailure(null);
    try {
      await signUp(values);
    } catch (err) {
      if (err instanceof ApiError) setErrors(err.fields);
      setFailure(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <AuthLayout title="Create your account">
      <form noValidate onSubmit={(e) => void submit(e)} className="flex flex-col gap-3">
        {failure && <Alert>{failure}</Alert>}
        {FIELDS.map((f) => (
          <Field
            key={f.name}
            label={f.label}
            error={errors[f.name]}
            {...(f.hint ? { hint: f.hint } : {})}
          >
            {(p) => (
              <Input
                {...p}
                type={f.type}
                autoComplete={f.autoComplete}
                value={values[f.name]}
                onChange={(e) => setValues({ ...values, [f.name]: e.target.value })}
              />
            )}
          </Field>
        ))}
        <Button type="submit" disabled={busy}>
          {busy ? 'Creating your account…' : 'Create account'}
        </Button>
        <p className="text-sm">
          Already have an account? <Link to="/sign-in">Sign in</Link>
        </p>
      </form>
    </AuthLayout>
  );
}

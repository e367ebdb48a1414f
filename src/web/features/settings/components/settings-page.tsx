import { useEffect, useRef, useState, type FormEvent } from 'react';
import { changePasswordBody, updateMeBody } from '../../../../contracts/users.ts';
import { Button } from '../../../components/ui/button.tsx';
import { ConfirmDialog } from '../../../components/ui/confirm-dialog.tsx';
import { Alert, Card, errorMessage, PageTitle } from '../../../components/ui/feedback.tsx';
import { Field, Input } from '../../../components/ui/field.tsx';
import { bookmarkletHref } from '../../../lib/bookmarklet.ts';
import { fieldErrors } from '../../../lib/form-errors.ts';
import { useSession } from '../../../lib/session-store.ts';
import {
  downloadExport,
  useChangePassword,
  useDeleteAccount,
  useUpdateProfile,
} from '../api/account.ts';
import { AiSettingsSection } from './ai-settings-form.tsx';

function ProfileForm() {
  const user = useSession().user!;
  const update = useUpdateProfile();
  const [v, setV] = useState({
    first_name: user.first_name,
    last_name: user.last_name,
    email: user.email,
  });
  const errors = fieldErrors(updateMeBody, v);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (Object.keys(errors).length === 0) update.mutate(v);
  };
  return (
    <form noValidate onSubmit={submit} className="flex flex-col gap-3">
      {update.isError && <Alert>{errorMessage(update.error)}</Alert>}
      {update.isSuccess && <Alert kind="success">Profile saved.</Alert>}
      <Field label="First name" error={errors.first_name}>
        {(p) => (
          <Input
            {...p}
            autoComplete="given-name"
            value={v.first_name}
            onChange={(e) => setV({ ...v, first_name: e.target.value })}
          />
        )}
      </Field>
      <Field label="Last name" error={errors.last_name}>
        {(p) => (
          <Input
            {...p}
            autoComplete="family-name"
            value={v.last_name}
            onChange={(e) => setV({ ...v, last_name: e.target.value })}
          />
        )}
      </Field>
      <Field label="Email" error={errors.email}>
        {(p) => (
          <Input
            {...p}
            type="email"
            autoComplete="email"
            value={v.email}
            onChange={(e) => setV({ ...v, email: e.target.value })}
          />
        )}
      </Field>
      <Button type="submit" className="self-start" disabled={update.isPending}>
        Save profile
      </Button>
    </form>
  );
}

function PasswordForm() {
  const change = useChangePassword();
  const [v, setV] = useState({ current_password: '', new_password: '' });
  const [tried, setTried] = useState(false);
  const errors = fieldErrors(changePasswordBody, v);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (Object.keys(errors).length === 0)
      change.mutate(v, { onSuccess: () => setV({ current_password: '', new_password: '' }) });
  };
  return (
    <form noValidate onSubmit={submit} className="flex flex-col gap-3">
      {change.isError && <Alert>{errorMessage(change.error)}</Alert>}
      {change.isSuccess && (
        <Alert kind="success">Password changed. Your other sessions were signed out.</Alert>
      )}
      <Field label="Current password" error={tried ? errors.current_password : undefined}>
        {(p) => (
          <Input
            {...p}
            type="password"
            autoComplete="current-password"
            value={v.current_password}
            onChange={(e) => setV({ ...v, current_password: e.target.value })}
          />
        )}
      </Field>
      <Field
        label="New password"
        hint="At least 8 characters."
        error={tried ? errors.new_password : undefined}
      >
        {(p) => (
          <Input
            {...p}
            type="password"
            autoComplete="new-password"
            value={v.new_password}
            onChange={(e) => setV({ ...v, new_password: e.target.value })}
          />
        )}
      </Field>
      <Button type="submit" className="self-start" disabled={change.isPending}>
        Change password
      </Button>
    </form>
  );
}

function BookmarkletSection() {
  const link = useRef<HTMLAnchorElement>(null);
  const [hint, setHint] = useState(false);
  useEffect(() => {
    // React refuses javascript: URLs in href (it swaps in one that throws), a guard against
    // injected links. This one is ours, built from constants and this origin, so it is set on
    // the element directly. Clicking it here does nothing: the CSP blocks javascript: URLs on
    // Job Forge's own pages, and the click handler below stops it first.
    link.current?.setAttribute('href', bookmarkletHref(window.location.origin));
  }, []);
  return (
    <div className="flex flex-col gap-3">
      <p className="text-sm">
        Drag this link to your bookmarks bar. On a job posting, even one behind a login, click it to
        send that page to Job Forge and review the application before it is saved.
      </p>
      <a
        ref={link}
        draggable
        onClick={(e) => {
          e.preventDefault();
          setHint(true);
        }}
        className="self-start rounded-md border border-dashed border-indigo-400 px-3 py-2 text-sm font-medium no-underline"
      >
        Save to Job Forge
      </a>
      {hint && (
        <Alert kind="info">
          Drag the link to your bookmarks bar rather than clicking it here, then use it on a job
          posting.
        </Alert>
      )}
    </div>
  );
}

function DangerZone() {
  const remove = useDeleteAccount();
  const [open, setOpen] = useState(false);
  const [password, setPassword] = useState('');
  const [exportError, setExportError] = useState<string | null>(null);
  return (
    <div className="flex flex-col gap-3">
      <p className="text-sm">Download everything you have stored here as one JSON file.</p>
      {exportError && <Alert>{exportError}</Alert>}
      <Button
        variant="secondary"
        className="self-start"
        onClick={() => void downloadExport().catch((e: unknown) => setExportError(errorMessage(e)))}
      >
        Export my data
      </Button>
      <p className="text-sm">
        Deleting your account removes your resumes, applications and documents for good.
      </p>
      <Button variant="danger" className="self-start" onClick={() => setOpen(true)}>
        Delete my account…
      </Button>
      <ConfirmDialog
        open={open}
        title="Delete your account?"
        confirmLabel="Delete everything"
        busy={remove.isPending || password === ''}
        onCancel={() => setOpen(false)}
        onConfirm={() => remove.mutate(password)}
      >
        <p className="mb-2">This cannot be undone. Enter your password to confirm.</p>
        {remove.isError && <Alert>{errorMessage(remove.error)}</Alert>}
        <Field label="Password">
          {(p) => (
            <Input
              {...p}
              type="password"
              autoComplete="current-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </Field>
      </ConfirmDialog>
    </div>
  );
}

export function SettingsPage() {
  return (
    <>
      <PageTitle>Settings</PageTitle>
      <div className="grid gap-4 lg:grid-cols-2">
        <Card>
          <h2 className="mb-3 font-semibold">Profile</h2>
          <ProfileForm />
        </Card>
        <Card>
          <h2 className="mb-3 font-semibold">Password</h2>
          <PasswordForm />
        </Card>
        <Card>
          <h2 className="mb-3 font-semibold">AI provider</h2>
          <AiSettingsSection />
        </Card>
        <Card>
          <h2 className="mb-3 font-semibold">Bookmarklet</h2>
          <BookmarkletSection />
        </Card>
        <Card>
          <h2 className="mb-3 font-semibold">Your data</h2>
          <DangerZone />
        </Card>
      </div>
    </>
  );
}

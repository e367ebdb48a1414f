import { useState, type FormEvent, type ReactNode } from 'react';
import {
  createApplicationBody,
  type CreateApplication,
} from '../../../../contracts/applications.ts';
import { Button } from '../../../components/ui/button.tsx';
import { Alert, errorMessage } from '../../../components/ui/feedback.tsx';
import { Field, Input, Textarea } from '../../../components/ui/field.tsx';
import { ApiError } from '../../../lib/api-client.ts';
import { fieldErrors, withoutEmpty } from '../../../lib/form-errors.ts';

export interface PostingValues {
  company_name: string;
  role_title: string;
  location: string;
  job_url: string;
  job_description: string;
}

export const emptyPosting: PostingValues = {
  company_name: '',
  role_title: '',
  location: '',
  job_url: '',
  job_description: '',
};

/** What the API receives: blank optional fields are left out (create) or cleared with null (edit). */
export function postingBody(v: PostingValues, clearBlank: boolean): Partial<CreateApplication> {
  const body = withoutEmpty({ ...v }) as Partial<CreateApplication>;
  if (clearBlank) {
    if (!v.job_url) body.job_url = null;
    if (!v.location) body.location = null;
  }
  return body;
}

/** The posting's fields, validated as the user leaves each field with the API's own schema. */
export function validatePosting(v: PostingValues): Record<string, string> {
  return fieldErrors(createApplicationBody, postingBody(v, false));
}

export function ApplicationForm({
  initial = emptyPosting,
  submitLabel,
  onSubmit,
  extra,
}: {
  initial?: PostingValues;
  submitLabel: string;
  onSubmit: (v: PostingValues) => Promise<void>;
  extra?: ReactNode;
}) {
  const [values, setValues] = useState(initial);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const errors = { ...validatePosting(values), ...serverErrors };
  const shown = (k: keyof PostingValues) => (touched[k] ? errors[k] : undefined);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setTouched({
      company_name: true,
      role_title: true,
      location: true,
      job_url: true,
      job_description: true,
    });
    if (Object.keys(validatePosting(values)).length > 0) return;
    setBusy(true);
    setFailure(null);
    try {
      await onSubmit(values);
    } catch (err) {
      if (err instanceof ApiError) setServerErrors(err.fields);
      setFailure(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }
  const input = (k: keyof PostingValues) => ({
    value: values[k],
    onChange: (e: { target: { value: string } }) => {
      setValues({ ...values, [k]: e.target.value });
      setServerErrors({});
    },
    onBlur: () => setTouched({ ...touched, [k]: true }),
  });
  const chars = [...values.job_description].length;

  return (
    <form noValidate onSubmit={(e) => void submit(e)} className="flex flex-col gap-3">
      {failure && <Alert>{failure}</Alert>}
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Company" error={shown('company_name')}>
          {(p) => <Input {...p} {...input('company_name')} />}
        </Field>
        <Field label="Role" error={shown('role_title')}>
          {(p) => <Input {...p} {...input('role_title')} />}
        </Field>
        <Field label="Location (optional)" error={shown('location')}>
          {(p) => <Input {...p} {...input('location')} />}
        </Field>
        <Field label="Link to the posting (optional)" error={shown('job_url')}>
          {(p) => <Input {...p} type="url" placeholder="https://" {...input('job_url')} />}
        </Field>
      </div>
      <Field
        label="Job description"
        error={shown('job_description')}
        hint={`At least 50 characters (${chars} so far).`}
      >
        {(p) => <Textarea {...p} rows={8} {...input('job_description')} />}
      </Field>
      {extra}
      <div>
        <Button type="submit" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </Button>
      </div>
    </form>
  );
}

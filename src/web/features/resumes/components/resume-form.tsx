import { useState, type FormEvent } from 'react';
import { createResumeBody, focusArea, type FocusArea } from '../../../../contracts/resumes.ts';
import { Button } from '../../../components/ui/button.tsx';
import { Alert, errorMessage } from '../../../components/ui/feedback.tsx';
import { Field, Input, Select, Textarea } from '../../../components/ui/field.tsx';
import { MarkdownView } from '../../../components/ui/markdown-view.tsx';
import { ApiError } from '../../../lib/api-client.ts';
import { fieldErrors } from '../../../lib/form-errors.ts';

export interface ResumeValues {
  name: string;
  content: string;
  focus_area: FocusArea;
  is_primary: boolean;
}

const FOCUS_LABELS: Record<FocusArea, string> = {
  software_development: 'Software development',
  data_science: 'Data science',
  management: 'Management',
  consulting: 'Consulting',
  other: 'Other',
};

/** Name, focus and Markdown content with a live preview; rules from the API's resume schema. */
export function ResumeForm({
  initial,
  submitLabel,
  onSubmit,
}: {
  initial: ResumeValues;
  submitLabel: string;
  onSubmit: (v: ResumeValues) => Promise<void>;
}) {
  const [values, setValues] = useState(initial);
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [failure, setFailure] = useState<string | null>(null);
  const [serverErrors, setServerErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const errors = { ...fieldErrors(createResumeBody, values), ...serverErrors };
  const shown = (k: string) => (touched[k] ? errors[k] : undefined);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setTouched({ name: true, content: true });
    if (Object.keys(fieldErrors(createResumeBody, values)).length > 0) return;
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
  const change = (patch: Partial<ResumeValues>) => {
    setValues({ ...values, ...patch });
    setServerErrors({});
  };
  return (
    <form noValidate onSubmit={(e) => void submit(e)} className="flex flex-col gap-3">
      {failure && <Alert>{failure}</Alert>}
      <div className="grid gap-3 sm:grid-cols-2">
        <Field label="Name" error={shown('name')}>
          {(p) => (
            <Input
              {...p}
              value={values.name}
              onBlur={() => setTouched({ ...touched, name: true })}
              onChange={(e) => change({ name: e.target.value })}
            />
          )}
        </Field>
        <Field label="Focus area">
          {(p) => (
            <Select
              {...p}
              value={values.focus_area}
              onChange={(e) => change({ focus_area: e.target.value as FocusArea })}
            >
              {focusArea.options.map((f) => (
                <option key={f} value={f}>
                  {FOCUS_LABELS[f]}
                </option>
              ))}
            </Select>
          )}
        </Field>
      </div>
      <label className="flex items-center gap-2 text-sm">
        <input
          type="checkbox"
          checked={values.is_primary}
          onChange={(e) => change({ is_primary: e.target.checked })}
        />
        Primary resume (used when an application does not say which)
      </label>
      <div className="grid gap-3 lg:grid-cols-2">
        <Field
          label="Content (Markdown)"
          error={shown('content')}
          hint={`At least 100 characters (${[...values.content].length} so far).`}
        >
          {(p) => (
            <Textarea
              {...p}
              rows={18}
              value={values.content}
              onBlur={() => setTouched({ ...touched, content: true })}
              onChange={(e) => change({ content: e.target.value })}
            />
          )}
        </Field>
        <div>
          <p className="mb-1 text-sm font-medium">Preview</p>
          <div className="rounded-md border border-slate-200 p-3 dark:border-slate-700">
            <MarkdownView source={values.content} label="Resume preview" />
          </div>
        </div>
      </div>
      <div>
        <Button type="submit" disabled={busy}>
          {busy ? 'Saving…' : submitLabel}
        </Button>
      </div>
    </form>
  );
}

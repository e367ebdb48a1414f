import { useState, type FormEvent } from 'react';
import type { AiSettings, AiStatus } from '../../../../contracts/ai.ts';
import { Button } from '../../../components/ui/button.tsx';
import { Alert, errorMessage, QueryError, Spinner } from '../../../components/ui/feedback.tsx';
import { Field, Input, Select } from '../../../components/ui/field.tsx';
import { ApiError } from '../../../lib/api-client.ts';
import {
  CHOICE_LABELS,
  formErrors,
  formFrom,
  mentionsPrivateUrls,
  saveErrorHelp,
  settingsBody,
  takesKey,
  takesModel,
  testBody,
  type AiForm,
  type Choice,
} from '../ai-form-logic.ts';
import { useAiSettings, useAiStatus, useSaveAiSettings, useTestConnection } from '../api/ai.ts';
import { localResetTime, usageSummary } from '../usage-logic.ts';

const PROVIDER_NAMES: Record<AiStatus['provider'], string> = {
  offline: 'the offline engine',
  anthropic: 'Anthropic',
  openai: 'OpenAI',
  'openai-compatible': 'an OpenAI-compatible server',
};

const PRIVATE_HELP =
  'JOBFORGE_ALLOW_PRIVATE_URLS is an operator setting of the Job Forge server, not of your account: ask whoever runs it, or use a public address.';

/** Today's tokens and, when the operator set one, the daily budget (a meter and in words). */
export function UsageToday({ status }: { status: AiStatus }) {
  const u = usageSummary(status, localResetTime(status.budget_resets_at));
  const budget = status.daily_token_budget;
  return (
    <div className="flex flex-col gap-1 text-sm" data-testid="ai-usage">
      <p>{u.used}</p>
      {budget !== null && (
        <meter
          className="h-2 w-full"
          min={0}
          max={budget}
          // Low is good here: the bar turns amber near the budget.
          low={budget * 0.8}
          high={budget * 0.95}
          optimum={0}
          value={Math.min(status.usage_today.total_tokens, budget)}
          aria-label="Tokens used today"
          aria-valuetext={u.used}
        />
      )}
      {u.budget &&
        (u.exhausted ? <Alert>{u.budget}</Alert> : <p data-testid="ai-budget-left">{u.budget}</p>)}
      {u.cost && <p className="text-slate-600 dark:text-slate-300">{u.cost}</p>}
    </div>
  );
}

/** What the next draft will use, and whose choice that is. */
function EffectiveStatus() {
  const status = useAiStatus();
  if (status.isPending) return <Spinner label="Checking your AI provider…" />;
  if (status.isError)
    return <QueryError error={status.error} retry={() => void status.refetch()} />;
  const s = status.data;
  return (
    <>
      <p
        className="rounded-md bg-slate-100 p-3 text-sm dark:bg-slate-800"
        data-testid="ai-status"
        aria-live="polite"
      >
        Your drafts use <strong>{PROVIDER_NAMES[s.provider]}</strong>
        {s.provider !== 'offline' && (
          <>
            {' '}
            with model <strong>{s.model}</strong>
          </>
        )}
        {s.base_url && <> at {s.base_url}</>} —{' '}
        {s.source === 'user' ? 'your own settings' : 'the server’s default'}.
      </p>
      <UsageToday status={s} />
    </>
  );
}

function KeyControls({
  form,
  setForm,
  keySet,
  error,
}: {
  form: AiForm;
  setForm: (f: AiForm) => void;
  keySet: boolean;
  error: string | undefined;
}) {
  const optional = form.choice === 'openai-compatible';
  if (keySet && form.keyAction !== 'replace') {
    return (
      <div className="flex flex-col gap-2" data-testid="api-key-state">
        <p className="text-sm font-medium">API key</p>
        <p className="text-sm">
          {form.keyAction === 'clear'
            ? 'The stored key will be removed when you save.'
            : 'A key is set. It is stored encrypted and never shown.'}
        </p>
        <div className="flex gap-2">
          {form.keyAction === 'clear' ? (
            <Button
              size="sm"
              variant="secondary"
              onClick={() => setForm({ ...form, keyAction: 'keep' })}
            >
              Keep the key
            </Button>
          ) : (
            <>
              {takesKey(form.choice) && (
                <Button
                  size="sm"
                  variant="secondary"
                  onClick={() => setForm({ ...form, keyAction: 'replace', apiKey: '' })}
                >
                  Replace key
                </Button>
              )}
              <Button
                size="sm"
                variant="secondary"
                onClick={() => setForm({ ...form, keyAction: 'clear' })}
              >
                Clear key
              </Button>
            </>
          )}
        </div>
      </div>
    );
  }
  return (
    <div className="flex flex-col gap-2">
      <Field
        label={keySet ? 'New API key' : optional ? 'API key (optional)' : 'API key'}
        hint={
          optional
            ? 'Only if your server asks for one. Stored encrypted; never shown again.'
            : 'Stored encrypted; never shown again.'
        }
        error={error}
      >
        {(p) => (
          <Input
            {...p}
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={form.apiKey}
            onChange={(e) =>
              setForm({
                ...form,
                apiKey: e.target.value,
                keyAction: e.target.value || keySet ? 'replace' : 'keep',
              })
            }
          />
        )}
      </Field>
      {keySet && (
        <Button
          size="sm"
          variant="secondary"
          className="self-start"
          onClick={() => setForm({ ...form, keyAction: 'keep', apiKey: '' })}
        >
          Keep the stored key
        </Button>
      )}
    </div>
  );
}

function ProviderForm({ settings }: { settings: AiSettings }) {
  const save = useSaveAiSettings();
  const test = useTestConnection();
  const [form, setFormState] = useState(() => formFrom(settings));
  const [tried, setTried] = useState(false);
  const setForm = (f: AiForm) => {
    setFormState(f);
    test.reset();
  };
  const errors = formErrors(form);
  const valid = Object.keys(errors).length === 0;
  const serverFields = save.error instanceof ApiError ? save.error.fields : {};
  const fieldError = (k: 'model' | 'base_url' | 'api_key') => {
    if (tried && errors[k]) return errors[k];
    const s = serverFields[k];
    // When it is the whole message (a refused address) the alert by the buttons says it in full.
    if (s && s === save.error?.message) return 'not allowed: see the message below';
    return s;
  };

  const submit = (e: FormEvent) => {
    e.preventDefault();
    setTried(true);
    if (!valid) return;
    save.mutate(settingsBody(form), {
      onSuccess: (saved) => {
        setFormState(formFrom(saved));
        setTried(false);
      },
    });
  };
  const runTest = () => {
    setTried(true);
    if (valid) test.mutate(testBody(form));
  };
  const help = save.isError ? saveErrorHelp(save.error) : null;

  return (
    <form noValidate onSubmit={submit} className="flex flex-col gap-3" aria-label="AI provider">
      <Field label="Provider">
        {(p) => (
          <Select
            {...p}
            value={form.choice}
            onChange={(e) => {
              save.reset();
              setForm({ ...form, choice: e.target.value as Choice });
            }}
          >
            {(Object.keys(CHOICE_LABELS) as Choice[]).map((c) => (
              <option key={c} value={c}>
                {CHOICE_LABELS[c]}
              </option>
            ))}
          </Select>
        )}
      </Field>
      {form.choice === 'openai-compatible' && (
        <Field
          label="Base URL"
          hint="With /v1, e.g. https://llm.example.com/v1. A server on this machine or a private network works only when the operator allows it (JOBFORGE_ALLOW_PRIVATE_URLS)."
          error={fieldError('base_url')}
        >
          {(p) => (
            <Input
              {...p}
              type="url"
              inputMode="url"
              spellCheck={false}
              placeholder="https://llm.example.com/v1"
              value={form.baseUrl}
              onChange={(e) => setForm({ ...form, baseUrl: e.target.value })}
            />
          )}
        </Field>
      )}
      {takesModel(form.choice) && (
        <Field
          label="Model"
          hint={
            form.choice === 'openai-compatible'
              ? 'As your server names it, e.g. llama3.1:8b.'
              : 'Leave empty for the provider’s default.'
          }
          error={fieldError('model')}
        >
          {(p) => (
            <Input
              {...p}
              spellCheck={false}
              value={form.model}
              onChange={(e) => setForm({ ...form, model: e.target.value })}
            />
          )}
        </Field>
      )}
      {/* A key stored for another provider can still be cleared after choosing offline. */}
      {(takesKey(form.choice) || settings.api_key_set) && (
        <KeyControls
          form={form}
          setForm={setForm}
          keySet={settings.api_key_set}
          error={fieldError('api_key')}
        />
      )}
      {/* Beside the buttons, where the eye is after pressing one (the form is long). */}
      {save.isError && (
        <Alert>
          <p>Not saved: {errorMessage(save.error)}</p>
          {help && <p className="mt-1">{help}</p>}
        </Alert>
      )}
      {save.isSuccess && <Alert kind="success">AI provider saved.</Alert>}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={save.isPending}>
          {save.isPending ? 'Saving…' : 'Save AI provider'}
        </Button>
        <Button variant="secondary" disabled={test.isPending} onClick={runTest}>
          {test.isPending ? 'Testing…' : 'Test connection'}
        </Button>
      </div>
      {test.isError && <Alert>Could not test: {errorMessage(test.error)}</Alert>}
      {test.data && (
        <div data-testid="test-result">
          <Alert kind={test.data.ok ? 'success' : 'error'}>
            <p>
              {test.data.ok ? 'Connection works: ' : 'Connection failed: '}
              {test.data.message}
            </p>
            {!test.data.ok && mentionsPrivateUrls(test.data.message) && (
              <p className="mt-1">{PRIVATE_HELP}</p>
            )}
          </Alert>
        </div>
      )}
    </form>
  );
}

/** Settings → AI provider: what drafts use now, and the user's own choice of provider. */
export function AiSettingsSection() {
  const settings = useAiSettings();
  return (
    <div className="flex flex-col gap-3">
      <EffectiveStatus />
      {settings.isPending ? (
        <Spinner label="Loading your AI settings…" />
      ) : settings.isError ? (
        <QueryError error={settings.error} retry={() => void settings.refetch()} />
      ) : (
        <ProviderForm settings={settings.data} />
      )}
    </div>
  );
}

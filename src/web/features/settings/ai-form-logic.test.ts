import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { aiSettingsBody, testConnectionBody } from '../../../contracts/ai.ts';
import { ApiError } from '../../lib/api-client.ts';
import {
  formErrors,
  formFrom,
  saveErrorHelp,
  settingsBody,
  testBody,
  type AiForm,
} from './ai-form-logic.ts';

const form = (over: Partial<AiForm>): AiForm => ({
  choice: 'server',
  model: '',
  baseUrl: '',
  keyAction: 'keep',
  apiKey: '',
  ...over,
});

describe('AI settings form', () => {
  test('when settings are loaded, then the form shows them and never holds the key', () => {
    const f = formFrom({
      provider: 'anthropic',
      model: 'claude-sonnet-4-5',
      base_url: null,
      api_key_set: true,
      updated_at: null,
    });
    assert.deepEqual(f, {
      choice: 'anthropic',
      model: 'claude-sonnet-4-5',
      baseUrl: '',
      keyAction: 'keep',
      apiKey: '',
    });
    assert.equal(
      formFrom({
        provider: null,
        model: null,
        base_url: null,
        api_key_set: false,
        updated_at: null,
      }).choice,
      'server',
    );
  });

  test('when the key is kept, then the body leaves it out; replaced, it is sent; cleared, it is null', () => {
    const base = { choice: 'openai' as const, model: 'gpt-4o-mini', baseUrl: 'http://ignored/v1' };
    assert.deepEqual(settingsBody(form(base)), {
      provider: 'openai',
      model: 'gpt-4o-mini',
      base_url: null,
    });
    assert.equal(
      settingsBody(form({ ...base, keyAction: 'replace', apiKey: 'sk-new' })).api_key,
      'sk-new',
    );
    const cleared = settingsBody(form({ ...base, keyAction: 'clear' }));
    assert.ok('api_key' in cleared && cleared.api_key === null);
  });

  test('when offline or the server default is chosen, then model and base URL are null and the body passes the API schema', () => {
    for (const choice of ['offline', 'server'] as const) {
      const body = settingsBody(form({ choice, model: 'leftover', baseUrl: 'http://x/v1' }));
      assert.equal(body.model, null);
      assert.equal(body.base_url, null);
      assert.equal(body.provider, choice === 'server' ? null : 'offline');
      assert.ok(aiSettingsBody.safeParse(body).success, choice);
    }
  });

  test('when an OpenAI-compatible server is chosen, then base URL and model are trimmed and both required', () => {
    const ok = form({
      choice: 'openai-compatible',
      model: ' llama3.1:8b ',
      baseUrl: ' http://localhost:11434/v1 ',
    });
    assert.deepEqual(settingsBody(ok), {
      provider: 'openai-compatible',
      model: 'llama3.1:8b',
      base_url: 'http://localhost:11434/v1',
    });
    assert.ok(aiSettingsBody.safeParse(settingsBody(ok)).success);
    assert.deepEqual(formErrors(ok), {});
    assert.deepEqual(Object.keys(formErrors(form({ choice: 'openai-compatible' }))).sort(), [
      'base_url',
      'model',
    ]);
    assert.equal(
      formErrors(form({ choice: 'openai-compatible', model: 'm', baseUrl: 'ftp://x' })).base_url,
      'must be an http(s) URL',
    );
  });

  test('when a key is being replaced, then it must be entered and have no spaces', () => {
    assert.ok(formErrors(form({ choice: 'anthropic', keyAction: 'replace' })).api_key);
    assert.equal(
      formErrors(form({ choice: 'anthropic', keyAction: 'replace', apiKey: 'a b' })).api_key,
      'must not contain spaces',
    );
    assert.deepEqual(
      formErrors(form({ choice: 'anthropic', keyAction: 'replace', apiKey: 'sk-ant-x' })),
      {},
    );
  });

  test('when the connection is tested, then the form’s unsaved values are sent (no body for the server default) and pass the API schema', () => {
    assert.equal(testBody(form({})), null);
    assert.deepEqual(testBody(form({ choice: 'offline', model: 'x' })), { provider: 'offline' });
    const b = testBody(
      form({
        choice: 'openai-compatible',
        model: 'm',
        baseUrl: 'http://127.0.0.1:1/v1',
        keyAction: 'replace',
        apiKey: 'k',
      }),
    );
    assert.deepEqual(b, {
      provider: 'openai-compatible',
      model: 'm',
      base_url: 'http://127.0.0.1:1/v1',
      api_key: 'k',
    });
    assert.ok(testConnectionBody.safeParse(b).success);
    assert.deepEqual(testBody(form({ choice: 'anthropic', keyAction: 'keep', apiKey: 'stale' })), {
      provider: 'anthropic',
    });
  });

  test('when a save is refused for a private address, then the help names the operator setting; other errors get none', () => {
    assert.match(
      saveErrorHelp(new ApiError(400, 'address_not_allowed', 'no')) ?? '',
      /JOBFORGE_ALLOW_PRIVATE_URLS is an operator setting/,
    );
    assert.equal(saveErrorHelp(new ApiError(400, 'validation_failed', 'no')), null);
    assert.equal(saveErrorHelp(new Error('x')), null);
  });
});

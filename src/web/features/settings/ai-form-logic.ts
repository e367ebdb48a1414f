import type { AiSettings, AiSettingsBody, TestConnectionBody } from '../../../contracts/ai.ts';
import { ApiError } from '../../lib/api-client.ts';

/** The provider choices of the form; "server" is the operator's provider (provider null). */
export type Choice = 'server' | 'offline' | 'anthropic' | 'openai' | 'openai-compatible';

export const CHOICE_LABELS: Record<Choice, string> = {
  server: 'Server default',
  offline: 'Offline engine (built in, no network)',
  anthropic: 'Anthropic',
  openai: 'OpenAI',
  'openai-compatible': 'OpenAI-compatible server (Ollama, LM Studio, vLLM…)',
};

/** What happens to the stored key on save. */
export type KeyAction = 'keep' | 'replace' | 'clear';

export interface AiForm {
  choice: Choice;
  model: string;
  baseUrl: string;
  keyAction: KeyAction;
  /** Only when replacing: the new key (write-only, never read back). */
  apiKey: string;
}

export const formFrom = (s: AiSettings): AiForm => ({
  choice: s.provider ?? 'server',
  model: s.model ?? '',
  baseUrl: s.base_url ?? '',
  keyAction: 'keep',
  apiKey: '',
});

export const takesModel = (c: Choice) =>
  c === 'anthropic' || c === 'openai' || c === 'openai-compatible';
export const takesKey = takesModel;

/**
 * The PUT body for the form: provider, model and base URL are replaced; the key is left out
 * (kept), cleared (null) or replaced. Fields a provider does not take are sent as null.
 */
export function settingsBody(f: AiForm): AiSettingsBody {
  if (f.choice === 'server' || f.choice === 'offline') {
    const body: AiSettingsBody = {
      provider: f.choice === 'server' ? null : 'offline',
      model: null,
      base_url: null,
    };
    if (f.keyAction === 'clear') body.api_key = null;
    return body;
  }
  const body: AiSettingsBody = {
    provider: f.choice,
    model: f.model.trim() === '' ? null : f.model.trim(),
    base_url: f.choice === 'openai-compatible' && f.baseUrl.trim() ? f.baseUrl.trim() : null,
  };
  if (f.keyAction === 'clear') body.api_key = null;
  if (f.keyAction === 'replace') body.api_key = f.apiKey;
  return body;
}

/**
 * The test-connection body for what the form shows (unsaved changes included). Without a new
 * key the server uses the stored one for the same provider. "Server default" sends no body.
 */
export function testBody(f: AiForm): TestConnectionBody {
  if (f.choice === 'server') return null;
  if (f.choice === 'offline') return { provider: 'offline' };
  return {
    provider: f.choice,
    ...(f.model.trim() ? { model: f.model.trim() } : {}),
    ...(f.choice === 'openai-compatible' && f.baseUrl.trim() ? { base_url: f.baseUrl.trim() } : {}),
    ...(f.keyAction === 'replace' && f.apiKey ? { api_key: f.apiKey } : {}),
  };
}

/** Messages the form checks before asking the server (the server checks them too). */
export function formErrors(f: AiForm): Partial<Record<'model' | 'base_url' | 'api_key', string>> {
  const e: Partial<Record<'model' | 'base_url' | 'api_key', string>> = {};
  if (f.choice === 'openai-compatible') {
    if (!f.baseUrl.trim()) e.base_url = 'is required for an OpenAI-compatible server';
    else if (!isHttpUrl(f.baseUrl.trim())) e.base_url = 'must be an http(s) URL';
    if (!f.model.trim()) e.model = 'is required for an OpenAI-compatible server';
  }
  if (f.keyAction === 'replace' && takesKey(f.choice)) {
    if (!f.apiKey) e.api_key = 'enter the new key, or keep the stored one';
    else if (/\s/.test(f.apiKey)) e.api_key = 'must not contain spaces';
  }
  return e;
}

function isHttpUrl(s: string): boolean {
  try {
    const u = new URL(s);
    return (u.protocol === 'http:' || u.protocol === 'https:') && u.hostname !== '';
  } catch {
    return false;
  }
}

/**
 * The words for a failed save. A refused address is the operator's call: say where the setting
 * lives, since nothing on this page can change it.
 */
export function saveErrorHelp(err: unknown): string | null {
  if (err instanceof ApiError && err.code === 'address_not_allowed') {
    return 'JOBFORGE_ALLOW_PRIVATE_URLS is an operator setting: whoever runs this Job Forge server sets it in the server’s environment (and restarts it). It cannot be changed from this page; use a public address, or ask the operator.';
  }
  return null;
}

/** Mentions of the private-address rule in a test-connection message get the same help. */
export const mentionsPrivateUrls = (message: string) =>
  message.includes('JOBFORGE_ALLOW_PRIVATE_URLS');

import {
  aiSettings,
  aiSettingsBody,
  aiStatus,
  testConnectionBody,
  testConnectionResult,
} from '../../contracts/ai.ts';
import { errorBody } from '../../contracts/common.ts';
import type { ApiApp, AppDeps } from '../http/api.ts';
import { authenticate, authOf } from '../http/authenticate.ts';
import { AiSettingsService } from './ai-settings.service.ts';

export function aiSettingsRoutes(app: ApiApp, deps: AppDeps): void {
  const service = new AiSettingsService(deps.tenant, deps.ai, deps.outbound, deps.config);
  const onRequest = authenticate(deps.tokens);
  const errors = { 400: errorBody, 401: errorBody };
  const tags = ['ai'];

  app.get(
    '/users/me/ai-settings',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Your AI provider settings (the API key is never returned)',
        response: { 200: aiSettings, ...errors },
      },
    },
    (req) => service.get(authOf(req)),
  );

  app.put(
    '/users/me/ai-settings',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Choose your own AI provider, model, base URL and API key',
        description:
          'provider null drafts with the server’s provider. The key is stored encrypted; omit api_key to keep it, send null to clear it. ' +
          'A base URL on a private or loopback address is refused unless the operator set JOBFORGE_ALLOW_PRIVATE_URLS=true.',
        body: aiSettingsBody,
        response: { 200: aiSettings, ...errors },
      },
    },
    (req) => service.put(authOf(req), req.body),
  );

  app.get(
    '/ai/status',
    {
      onRequest,
      schema: {
        tags,
        summary:
          'Which provider and model your drafts will use, whose choice it is, your usage today and the daily budget',
        response: { 200: aiStatus, ...errors },
      },
    },
    (req) => service.status(authOf(req)),
  );

  app.post(
    '/ai/test-connection',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Check a provider configuration with one short request',
        description:
          'Without a body, tests the settings your drafts use. Your saved API key is used only for the ' +
          'saved provider and base URL: testing another one without api_key answers 400 api_key_required. ' +
          'Answers 200 with ok false and the reason ' +
          '(wrong URL, rejected key, unknown model, no JSON support) when the check fails. ' +
          'Limited to 10 tests per user per 10 minutes: beyond that, 429 with Retry-After.',
        body: testConnectionBody,
        response: { 200: testConnectionResult, ...errors, 429: errorBody },
      },
    },
    (req) => service.testConnection(authOf(req), req.body),
  );
}

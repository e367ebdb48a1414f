import { z } from 'zod';
import { errorBody, timestamp } from '../../contracts/common.ts';
import { changePasswordBody, deleteMeBody, updateMeBody, user } from '../../contracts/users.ts';
import { AuthService } from '../auth/auth.service.ts';
import type { ApiApp, AppDeps } from '../http/api.ts';
import { authenticate, authOf } from '../http/authenticate.ts';
import { UsersService } from './users.service.ts';

const exportBody = z
  .object({
    format: z.literal('jobforge-user-export'),
    version: z.number().int(),
    exported_at: timestamp,
    user,
    user_resumes: z.array(z.record(z.string(), z.unknown())),
    applications: z.array(z.record(z.string(), z.unknown())),
    application_events: z.array(z.record(z.string(), z.unknown())),
    documents: z.array(z.record(z.string(), z.unknown())),
    document_versions: z.array(z.record(z.string(), z.unknown())),
    generation_jobs: z.array(z.record(z.string(), z.unknown())),
    generation_job_events: z.array(z.record(z.string(), z.unknown())),
    user_ai_settings: z
      .array(z.record(z.string(), z.unknown()))
      .describe('Your AI settings, without the API key'),
    job_posting_snapshots: z
      .array(z.record(z.string(), z.unknown()))
      .describe('The job postings you imported, as fetched'),
  })
  .meta({ id: 'UserExport' });

export function usersRoutes(app: ApiApp, deps: AppDeps): void {
  const service = new UsersService(deps.tenant, new AuthService(deps.db, deps.tokens, deps.config));
  const onRequest = authenticate(deps.tokens);
  const errors = { 400: errorBody, 401: errorBody, 404: errorBody };
  const tags = ['account'];

  app.get(
    '/users/me',
    {
      onRequest,
      schema: { tags, summary: 'Your account', response: { 200: user, ...errors } },
    },
    (req) => service.get(authOf(req)),
  );

  app.patch(
    '/users/me',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Change your name or email',
        body: updateMeBody,
        response: { 200: user, 409: errorBody, ...errors },
      },
    },
    (req) => service.update(authOf(req), req.body),
  );

  app.delete(
    '/users/me',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Delete your account and everything it owns',
        description:
          'Takes your password as confirmation. Resumes, applications and documents are deleted too.',
        body: deleteMeBody,
        response: { 204: z.null(), 403: errorBody, ...errors },
      },
    },
    async (req, reply) => {
      await service.delete(authOf(req), req.body.password);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/users/me/password',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Change your password (signs out your other sessions)',
        body: changePasswordBody,
        response: { 204: z.null(), 403: errorBody, ...errors },
      },
    },
    async (req, reply) => {
      await service.changePassword(authOf(req), req.body.current_password, req.body.new_password);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/users/me/export',
    {
      onRequest,
      schema: {
        tags,
        summary: 'All your data as one JSON document',
        response: { 200: exportBody, ...errors },
      },
    },
    async (req, reply) => {
      const data = await service.export(authOf(req));
      void reply.header(
        'content-disposition',
        `attachment; filename="jobforge-export-${data.exported_at.slice(0, 10)}.json"`,
      );
      return data;
    },
  );
}

import { z } from 'zod';
import { errorBody, idParams, page } from '../../contracts/common.ts';
import {
  createResumeBody,
  listResumesQuery,
  resume,
  updateResumeBody,
} from '../../contracts/resumes.ts';
import type { ApiApp, AppDeps } from '../http/api.ts';
import { authenticate, authOf } from '../http/authenticate.ts';
import { ResumesService } from './resumes.service.ts';

export function resumesRoutes(app: ApiApp, deps: AppDeps): void {
  const service = new ResumesService(deps.tenant);
  const onRequest = authenticate(deps.tokens);
  const errors = { 400: errorBody, 401: errorBody, 404: errorBody, 409: errorBody };
  const tags = ['resumes'];

  app.get(
    '/resumes',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Your resumes, newest first',
        querystring: listResumesQuery,
        response: { 200: page(resume), ...errors },
      },
    },
    (req) => service.list(authOf(req), req.query.limit, req.query.offset),
  );

  app.post(
    '/resumes',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Add a resume',
        description:
          'Your first resume is always primary. `is_primary: true` makes this one primary and ' +
          'the previous primary an ordinary resume.',
        body: createResumeBody,
        response: { 201: resume, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await service.create(authOf(req), req.body)),
  );

  app.get(
    '/resumes/:id',
    {
      onRequest,
      schema: {
        tags,
        summary: 'One resume',
        params: idParams,
        response: { 200: resume, ...errors },
      },
    },
    (req) => service.get(authOf(req), req.params.id),
  );

  app.patch(
    '/resumes/:id',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Change a resume',
        description:
          'Send any subset of the fields (at least one). `is_primary: true` demotes your other ' +
          'resumes; `is_primary: false` on the primary leaves you without a primary resume.',
        params: idParams,
        body: updateResumeBody,
        response: { 200: resume, ...errors },
      },
    },
    (req) => service.update(authOf(req), req.params.id, req.body),
  );

  app.delete(
    '/resumes/:id',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Delete a resume',
        description:
          'Deleting your primary resume makes your most recently updated other resume primary.',
        params: idParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await service.delete(authOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );
}

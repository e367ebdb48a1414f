import { z } from 'zod';
import {
  application,
  applicationEvents,
  applicationSummary,
  createApplicationBody,
  listApplicationsQuery,
  updateApplicationBody,
} from '../../contracts/applications.ts';
import { errorBody, idParams, page } from '../../contracts/common.ts';
import type { ApiApp, AppDeps } from '../http/api.ts';
import { authenticate, authOf } from '../http/authenticate.ts';
import { ApplicationsService } from './applications.service.ts';

export function applicationsRoutes(app: ApiApp, deps: AppDeps): void {
  const service = new ApplicationsService(deps.tenant);
  const onRequest = authenticate(deps.tokens);
  const errors = { 400: errorBody, 401: errorBody, 404: errorBody, 409: errorBody };
  const tags = ['applications'];

  app.get(
    '/applications',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Your applications: filter, search, sort and page',
        description:
          '`q` matches words (web-search syntax, English stemming) in the company, role, job ' +
          'description and notes, or any substring of the company name or role title. ' +
          '`fields=summary` leaves out job_description and notes (ApplicationSummary items).',
        querystring: listApplicationsQuery,
        response: { 200: page(z.union([application, applicationSummary])), ...errors },
      },
    },
    (req) => service.list(authOf(req), req.query),
  );

  app.post(
    '/applications',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Add an application',
        description:
          'Its `name` (company_role_YYYY_MM_DD) is generated now and kept. Starts the timeline ' +
          'with a `created` event.',
        body: createApplicationBody,
        response: { 201: application, ...errors },
      },
    },
    async (req, reply) => reply.code(201).send(await service.create(authOf(req), req.body)),
  );

  app.get(
    '/applications/:id',
    {
      onRequest,
      schema: {
        tags,
        summary: 'One application',
        params: idParams,
        response: { 200: application, ...errors },
      },
    },
    (req) => service.get(authOf(req), req.params.id),
  );

  app.patch(
    '/applications/:id',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Change an application',
        description:
          'Send any subset of the fields (at least one); `null` clears job_url or location. A ' +
          'different status adds a `status_changed` event. The name is not regenerated.',
        params: idParams,
        body: updateApplicationBody,
        response: { 200: application, ...errors },
      },
    },
    (req) => service.update(authOf(req), req.params.id, req.body),
  );

  app.delete(
    '/applications/:id',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Delete an application with its documents and timeline',
        params: idParams,
        response: { 204: z.null(), ...errors },
      },
    },
    async (req, reply) => {
      await service.delete(authOf(req), req.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/applications/:id/events',
    {
      onRequest,
      schema: {
        tags,
        summary: "An application's timeline, oldest first",
        params: idParams,
        response: { 200: applicationEvents, ...errors },
      },
    },
    (req) => service.events(authOf(req), req.params.id),
  );
}

import { application, createApplicationBody } from '../../contracts/applications.ts';
import { errorBody, idParams } from '../../contracts/common.ts';
import { importJobBody, jobImport, postingSnapshot } from '../../contracts/imports.ts';
import type { ApiApp, AppDeps } from '../http/api.ts';
import { authenticate, authOf } from '../http/authenticate.ts';
import { ImportsService } from './imports.service.ts';

// A page sent by the bookmarklet may be larger than the API's usual 1 MiB body limit.
const PAGE_BODY_LIMIT = 3 * 1024 * 1024;

export function importsRoutes(app: ApiApp, deps: AppDeps): void {
  const service = new ImportsService(deps.tenant, deps.outbound, deps.compute);
  const onRequest = authenticate(deps.tokens);
  const errors = { 400: errorBody, 401: errorBody, 404: errorBody, 409: errorBody, 422: errorBody };
  const tags = ['imports'];

  app.post(
    '/applications/import',
    {
      onRequest,
      bodyLimit: PAGE_BODY_LIMIT,
      schema: {
        tags,
        summary: 'Read a job posting from a link or a page: a draft to confirm',
        description:
          'Send `{url}` and the server fetches the page, or `{html, url?}` with the page itself ' +
          '(the bookmarklet, for pages behind a login). Reads schema.org JobPosting JSON-LD first, ' +
          'then OpenGraph tags, then the main text. Nothing is created yet: the answer is a ' +
          '`draft` (plus every posting found) and a `snapshot_id`, the frozen copy of the page. ' +
          'Show the draft, let the user correct it, then send it to ' +
          '`POST /applications/import/{snapshot_id}/confirm`, which creates the application and ' +
          'keeps the snapshot with it. Unconfirmed snapshots are deleted after a day.\n\n' +
          'Fetching only reaches public http(s) addresses (400 `address_not_allowed` otherwise), ' +
          'follows at most 5 redirects, reads at most 2 MiB for at most 10 s and only HTML ' +
          '(422 `url_unreachable`, `url_timeout`, `response_too_large`, ' +
          '`unsupported_content_type`, `too_many_redirects`); a page without a posting is 422 ' +
          '`no_job_posting_found`.',
        body: importJobBody,
        response: { 200: jobImport, ...errors },
      },
    },
    (req) => service.importJob(authOf(req), req.body),
  );

  app.post(
    '/applications/import/:id/confirm',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Create the application from an imported draft',
        description:
          '`id` is the `snapshot_id` of the import; the body is the application as the user ' +
          'confirmed it (the same fields as `POST /applications`). The page snapshot is kept ' +
          'with the new application (`GET /applications/{id}/posting`). 409 when that snapshot ' +
          'already has its application.',
        params: idParams,
        body: createApplicationBody,
        response: { 201: application, ...errors },
      },
    },
    async (req, reply) =>
      reply.code(201).send(await service.confirm(authOf(req), req.params.id, req.body)),
  );

  app.get(
    '/applications/:id/posting',
    {
      onRequest,
      schema: {
        tags,
        summary: 'The frozen copy of the posting an application was imported from',
        description:
          'The page exactly as fetched (or sent), with what was extracted from it. 404 when the ' +
          'application was not imported.',
        params: idParams,
        response: { 200: postingSnapshot, ...errors },
      },
    },
    (req) => service.posting(authOf(req), req.params.id),
  );
}

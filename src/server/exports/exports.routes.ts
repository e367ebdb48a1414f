import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { errorBody, idParams } from '../../contracts/common.ts';
import { documentParams } from '../../contracts/documents.ts';
import { exportQuery } from '../../contracts/exports.ts';
import type { ApiApp, AppDeps } from '../http/api.ts';
import { authenticate, authOf } from '../http/authenticate.ts';
import { CONTENT_TYPES, ExportsService, type ExportFile } from './exports.service.ts';

const FILE_DESCRIPTION =
  'Answers the file itself (Content-Disposition: attachment, an ASCII file name ' +
  'company_role_type.ext). `md` is the stored Markdown byte for byte; `docx` has real ' +
  'Heading 1–3 paragraphs and lists; `pdf` uses DejaVu Sans (Latin with accents, Greek, ' +
  'Cyrillic) and keeps its text in reading order for ATS parsers.';

// A file answer is not JSON: the OpenAPI document lists its media types with a binary body (the
// `content` map form that fastify-type-provider-zod turns into a response's `content`), so
// generated clients download bytes instead of parsing a string.
const binary = z.string().meta({ format: 'binary' });
const fileResponse = (description: string, mediaTypes: string[]) => ({
  description,
  content: Object.fromEntries(mediaTypes.map((t) => [t, { schema: binary }])),
});
const documentFile = fileResponse(
  'The file: Markdown, Word or PDF, as `format` asks',
  [CONTENT_TYPES.md, CONTENT_TYPES.docx, CONTENT_TYPES.pdf].map((t) => t.split(';')[0]!),
);
const packetFile = fileResponse('The packet, a zip archive', [CONTENT_TYPES.zip]);

function sendFile(reply: FastifyReply, f: ExportFile) {
  return reply
    .header('content-type', f.contentType)
    .header('content-disposition', `attachment; filename="${f.filename}"`)
    .header('cache-control', 'private, no-store')
    .send(f.body);
}

export function exportsRoutes(app: ApiApp, deps: AppDeps): void {
  const service = new ExportsService(deps.tenant, deps.compute);
  const onRequest = authenticate(deps.tokens);
  const errors = { 400: errorBody, 401: errorBody, 404: errorBody };
  const tags = ['exports'];

  app.get(
    '/applications/:id/documents/:type/export',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Download a document as Markdown, Word (.docx) or PDF',
        description: `${FILE_DESCRIPTION} A cover letter starts with the user's name and email.`,
        params: documentParams,
        querystring: exportQuery,
        response: { 200: documentFile, ...errors },
      },
    },
    async (req, reply) => {
      const { id, type } = req.params;
      return sendFile(reply, await service.document(authOf(req), id, type, req.query.format));
    },
  );

  app.get(
    '/resumes/:id/export',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Download a resume as Markdown, Word (.docx) or PDF',
        description: FILE_DESCRIPTION,
        params: idParams,
        querystring: exportQuery,
        response: { 200: documentFile, ...errors },
      },
    },
    async (req, reply) =>
      sendFile(reply, await service.resume(authOf(req), req.params.id, req.query.format)),
  );

  app.get(
    '/applications/:id/packet',
    {
      onRequest,
      schema: {
        tags,
        summary: 'Download the whole application as one .zip',
        description:
          'posting/posting.md (the job description as saved), posting/original.html (the frozen ' +
          'page, when the application was imported from a link or the bookmarklet), every ' +
          'document under documents/ in PDF, DOCX and Markdown, and manifest.json listing them.',
        params: idParams,
        response: { 200: packetFile, ...errors },
      },
    },
    async (req, reply) => sendFile(reply, await service.packet(authOf(req), req.params.id)),
  );
}

import fastifyMultipart from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorBody } from '../../contracts/common.ts';
import { resumeImport } from '../../contracts/imports.ts';
import type { ApiApp, AppDeps } from '../http/api.ts';
import { authenticate } from '../http/authenticate.ts';
import { AppError } from '../http/errors.ts';
import { importErrors, MAX_RESUME_FILE_BYTES } from './import-errors.ts';
import { readResumeFile } from './resume-import.service.ts';

// For the OpenAPI document only: the multipart parser, not the validator, reads this body.
const uploadBody = z.object({
  file: z
    .string()
    .meta({ format: 'binary' })
    .describe('The resume: PDF, DOCX, Markdown, plain text or JSON Resume, at most 5 MiB'),
});

export function resumeImportRoutes(app: ApiApp, deps: AppDeps): void {
  const onRequest = authenticate(deps.tokens);
  const errors = {
    400: errorBody,
    401: errorBody,
    413: errorBody,
    415: errorBody,
    422: errorBody,
    429: errorBody,
  };

  // Its own scope: only this route takes multipart bodies, and here anything else (JSON
  // included) is a 415 that says what to send instead.
  void app.register(async (scope) => {
    scope.removeAllContentTypeParsers();
    await scope.register(fastifyMultipart, {
      limits: {
        fileSize: MAX_RESUME_FILE_BYTES,
        files: 1,
        fields: 5,
        fieldSize: 1024,
        parts: 6,
        headerPairs: 100,
      },
      throwFileSizeLimit: true,
    });
    scope.addContentTypeParser('*', (_req, _payload, done) => done(importErrors.notMultipart()));

    scope.withTypeProvider<ZodTypeProvider>().post(
      '/resumes/import',
      {
        onRequest,
        // The body is a stream the handler reads with its limits; the schema documents it.
        validatorCompiler: () => (data: unknown) => ({ value: data }),
        schema: {
          tags: ['resumes'],
          summary: 'Read a resume file into Markdown for review (nothing is stored)',
          description:
            'Send `multipart/form-data` with the file in the field `file` (at most 5 MiB). ' +
            'PDF (its text layer), DOCX, Markdown, plain text and JSON Resume are read by their ' +
            'bytes; a name whose extension contradicts them is refused. The answer is the resume ' +
            'as Markdown with a suggested name and warnings: show it, let the user correct it, ' +
            'then save it with `POST /resumes`.\n\n' +
            'Errors: 400 `no_file`, 413 `file_too_large`, 415 `unsupported_media_type` (not ' +
            'multipart), 415 `unsupported_file_type`, 422 `empty_file`, `file_type_mismatch`, ' +
            '`corrupt_file`, `encrypted_file`, `archive_too_large` (zip bombs), ' +
            '`too_many_pages` (over 20), `input_too_complex` (a file over the time or memory ' +
            'limit), `pdf_without_text` (a scan), `invalid_json_resume`; 503 `server_busy` ' +
            'when too much heavy work is queued.',
          consumes: ['multipart/form-data'],
          body: uploadBody,
          response: { 200: resumeImport, ...errors },
        },
      },
      async (req) => {
        const { filename, bytes } = await readUpload(req);
        return readResumeFile(deps.compute, filename, bytes);
      },
    );
  });
}

/** The one file of the request, read with the multipart limits; every failure a clear 4xx. */
async function readUpload(req: FastifyRequest): Promise<{ filename: string; bytes: Uint8Array }> {
  if (!req.isMultipart())
    throw req.headers['content-type'] ? importErrors.notMultipart() : importErrors.noFile();
  try {
    const part = await req.file();
    if (!part || part.fieldname !== 'file') throw importErrors.noFile();
    const bytes = await part.toBuffer();
    // toBuffer checks the limit only while chunks arrive; the stream may be marked truncated
    // after its last chunk, so look again once it has ended.
    if (part.file.truncated) throw importErrors.tooLarge();
    return { filename: part.filename, bytes };
  } catch (err) {
    if (err instanceof AppError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'FST_REQ_FILE_TOO_LARGE') throw importErrors.tooLarge();
    throw new AppError(
      400,
      'invalid_multipart',
      'The upload could not be read: send one file in a multipart/form-data field named "file".',
    );
  }
}

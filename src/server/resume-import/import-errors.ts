import { AppError } from '../http/errors.ts';

/** The largest file an import reads; the multipart limit and the service check agree on it. */
export const MAX_RESUME_FILE_BYTES = 5 * 1024 * 1024;

/**
 * Every refusal of an imported file: a stable code the web app and the CLI can rely on and a
 * sentence that tells the person what to do next.
 */
export const importErrors = {
  noFile: () =>
    new AppError(400, 'no_file', 'Attach the resume file in a multipart field named "file".'),
  notMultipart: () =>
    new AppError(
      415,
      'unsupported_media_type',
      'Send the resume as multipart/form-data with the file in a field named "file".',
    ),
  tooLarge: () =>
    new AppError(
      413,
      'file_too_large',
      `The file is larger than ${MAX_RESUME_FILE_BYTES / 1024 / 1024} MiB; a resume should be far smaller.`,
    ),
  empty: () => new AppError(422, 'empty_file', 'The file is empty: there is nothing to import.'),
  unsupported: () =>
    new AppError(
      415,
      'unsupported_file_type',
      'Job Forge reads PDF, Word (.docx), Markdown, plain text and JSON Resume files; this file is none of these.',
    ),
  mismatch: (filename: string, actual: string) =>
    new AppError(
      422,
      'file_type_mismatch',
      `The file is named "${filename}" but its contents are ${actual}. Export it again in the format its name says.`,
    ),
  corrupt: (what: string, why: string) =>
    new AppError(422, 'corrupt_file', `The ${what} could not be read: ${why}`),
  encrypted: (what: string) =>
    new AppError(
      422,
      'encrypted_file',
      `The ${what} is password-protected; save a copy without a password and import that.`,
    ),
  archiveTooLarge: (why: string) =>
    new AppError(
      422,
      'archive_too_large',
      `The Word file was not opened: ${why} A resume is far smaller, so this looks like a damaged file or a zip bomb.`,
    ),
  tooManyPages: (pages: number, max: number) =>
    new AppError(
      422,
      'too_many_pages',
      `The PDF has ${pages.toLocaleString('en')} pages; a resume import reads at most ${max}.`,
    ),
  noText: () =>
    new AppError(
      422,
      'pdf_without_text',
      'This PDF has no text layer: it looks like a scan or a picture of a resume. Upload the original ' +
        'document (DOCX, Markdown or a PDF exported from your editor), or run the scan through OCR first.',
    ),
  invalidJsonResume: (message: string, fields?: Record<string, string>) =>
    new AppError(422, 'invalid_json_resume', message, fields),
};

import type { ResumeImport } from '../../contracts/imports.ts';
import { RESUME_LIMITS } from '../../contracts/resumes.ts';
import { tidy } from '../imports/html-to-markdown.ts';
import { docxToMarkdown } from './docx-text.ts';
import { importErrors, MAX_RESUME_FILE_BYTES } from './import-errors.ts';
import { jsonResumeToMarkdown, parseJsonResume } from './json-resume.ts';
import { pdfToMarkdown } from './pdf-text.ts';
import { checkExtension, decodeText, extensionOf, sniff } from './sniff.ts';
import { firstHeading, plainTextToMarkdown } from './text-to-markdown.ts';

// What a saved resume allows: the review step must fix anything outside.
const { maxName: MAX_NAME, minContent: MIN_CONTENT, maxContent: MAX_CONTENT } = RESUME_LIMITS;

/**
 * Reads a resume file into Markdown for the user to review; stores nothing. The bytes decide
 * the format (the name only has to agree with them). Runs in a compute-pool thread (see
 * resume-import.service.ts): pdf.js, DOCX inflation and the text heuristics are CPU and memory
 * the event loop must not pay for. Throws AppError with a stable code for anything it refuses.
 */
export async function parseResumeFile(filename: string, bytes: Uint8Array): Promise<ResumeImport> {
  if (bytes.length === 0) throw importErrors.empty();
  if (bytes.length > MAX_RESUME_FILE_BYTES) throw importErrors.tooLarge();
  const kind = sniff(bytes);
  checkExtension(filename, kind);
  const fallbackName = baseName(filename);
  switch (kind) {
    case 'pdf': {
      const { markdown, warnings } = await pdfToMarkdown(bytes);
      return result(markdown, 'pdf', warnings, fallbackName);
    }
    case 'zip': {
      const { markdown, warnings } = await docxToMarkdown(bytes);
      if (markdown === '') throw importErrors.corrupt('Word file', 'it contains no text.');
      return result(markdown, 'docx', warnings, fallbackName);
    }
    case 'text': {
      const decoded = decodeText(bytes) ?? { text: '' };
      const result = readText(filename, decoded.text, fallbackName);
      if (decoded.legacy)
        result.warnings.unshift(
          'The file is not Unicode (UTF-8); it was read as Western European (Windows-1252). Check accented letters.',
        );
      return result;
    }
    case 'binary':
      throw importErrors.unsupported();
  }
}

function readText(filename: string, text: string, fallbackName: string): ResumeImport {
  const ext = extensionOf(filename);
  const body = text.replace(/^\uFEFF/, '');
  if (body.trim() === '') throw importErrors.empty();
  if (ext === 'json' || (!['md', 'markdown', 'txt', 'text'].includes(ext) && /^\s*\{/.test(body))) {
    const resume = parseJsonResume(body);
    const markdown = jsonResumeToMarkdown(resume);
    if (markdown === '') throw importErrors.invalidJsonResume('The JSON Resume has nothing in it.');
    const name = resume.basics?.name?.trim();
    return result(markdown, 'json-resume', [], name || fallbackName);
  }
  if (ext === 'md' || ext === 'markdown' || (ext !== 'txt' && ext !== 'text' && isMarkdown(body)))
    return result(tidy(body.replace(/\r\n?/g, '\n')), 'markdown', [], fallbackName);
  return result(plainTextToMarkdown(body), 'text', [], fallbackName);
}

/** Headings, lists or links written the Markdown way. */
const isMarkdown = (text: string) => /^(#{1,6}\s|[-*+]\s|\d+\.\s)|\]\(https?:/m.test(text);

function result(
  content: string,
  source: ResumeImport['source'],
  warnings: string[],
  fallbackName: string,
): ResumeImport {
  const name = (source === 'json-resume' ? fallbackName : firstHeading(content)) ?? fallbackName;
  const notes = [...warnings];
  if (content.length < MIN_CONTENT)
    notes.push(
      `Only ${content.length} characters were found; a resume needs at least ${MIN_CONTENT}.`,
    );
  if (content.length > MAX_CONTENT)
    notes.push(
      `The text is longer than the ${MAX_CONTENT.toLocaleString('en')} characters a resume may have; shorten it before saving.`,
    );
  return { name: name.slice(0, MAX_NAME), content, source, warnings: notes };
}

function baseName(filename: string): string {
  const base = filename.split(/[\\/]/).pop() ?? '';
  return base.replace(/\.[a-z0-9]{1,8}$/i, '').trim() || 'Imported resume';
}

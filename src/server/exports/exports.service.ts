import type { Application } from '../../contracts/applications.ts';
import type { Document, DocumentType } from '../../contracts/documents.ts';
import type { ExportFormat } from '../../contracts/exports.ts';
import type { PostingSnapshot } from '../../contracts/imports.ts';
import type { User } from '../../contracts/users.ts';
// Exports only read: the application, its documents and snapshot through their features'
// repositories, the user's name for the letter head.
import { findApplication } from '../applications/applications.service.ts';
import { findDocument, listDocuments } from '../documents/documents.service.ts';
import { findSnapshotForApplication } from '../imports/imports.service.ts';
import { findResume } from '../resumes/resumes.service.ts';
import { findUser } from '../users/users.service.ts';
import type { AuthContext, Tenant } from '../auth/tenant.ts';
import type { ComputePool } from '../compute/compute-pool.ts';
import { notFound } from '../http/errors.ts';
import type { LetterHead } from './pdf-render.ts';
import { zipPacket, type PacketEntry } from './packet-zip.ts';

export interface ExportFile {
  filename: string;
  contentType: string;
  body: Buffer;
}

export const CONTENT_TYPES: Record<ExportFormat | 'zip', string> = {
  md: 'text/markdown; charset=utf-8',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  pdf: 'application/pdf',
  zip: 'application/zip',
};

const DOCUMENT_TITLES: Record<DocumentType, string> = {
  research_report: 'Research report',
  optimized_resume: 'Resume',
  cover_letter: 'Cover letter',
};

const FORMATS: ExportFormat[] = ['pdf', 'docx', 'md'];

/**
 * Documents and resumes as files. Reads happen in one tenant transaction; rendering happens after
 * it has committed, so a slow PDF never holds a database connection.
 */
export class ExportsService {
  constructor(
    private readonly tenant: Tenant,
    private readonly compute: ComputePool,
  ) {}

  async document(
    auth: AuthContext,
    applicationId: string,
    type: DocumentType,
    format: ExportFormat,
  ): Promise<ExportFile> {
    const { app, doc, user } = await this.tenant(auth, async (tx) => {
      const app = (await findApplication(tx, auth.userId, applicationId)) ?? missing('application');
      const doc = (await findDocument(tx, auth.userId, applicationId, type)) ?? missing('document');
      return { app, doc, user: await findUser(tx, auth.userId) };
    });
    return renderDocument(this.compute, app, doc, user, format);
  }

  async resume(auth: AuthContext, resumeId: string, format: ExportFormat): Promise<ExportFile> {
    const { resume, user } = await this.tenant(auth, async (tx) => ({
      resume: (await findResume(tx, auth.userId, resumeId)) ?? missing('resume'),
      user: await findUser(tx, auth.userId),
    }));
    const base = `${safeName(resume.name) || 'resume'}_resume`;
    return renderFile(this.compute, resume.content, format, base, {
      title: resume.name,
      author: fullName(user),
    });
  }

  /** The application as one zip: the posting, every document in three formats, a manifest. */
  async packet(auth: AuthContext, applicationId: string): Promise<ExportFile> {
    const { app, docs, snapshot, user } = await this.tenant(auth, async (tx) => {
      const app = (await findApplication(tx, auth.userId, applicationId)) ?? missing('application');
      return {
        app,
        docs: await listDocuments(tx, auth.userId, applicationId),
        snapshot: await findSnapshotForApplication(tx, auth.userId, applicationId),
        user: await findUser(tx, auth.userId),
      };
    });
    const entries: PacketEntry[] = [];
    entries.push({ name: 'posting/posting.md', data: Buffer.from(postingMarkdown(app), 'utf8') });
    if (snapshot)
      entries.push({ name: 'posting/original.html', data: Buffer.from(snapshot.html, 'utf8') });
    const files: { document_type: DocumentType; version: number; files: string[] }[] = [];
    for (const doc of docs) {
      const names: string[] = [];
      for (const format of FORMATS) {
        const file = await renderDocument(this.compute, app, doc, user, format);
        const name = `documents/${file.filename}`;
        entries.push({ name, data: file.body });
        names.push(name);
      }
      files.push({ document_type: doc.document_type, version: doc.version, files: names });
    }
    const manifest = {
      format: 'job-forge-packet/1',
      generated_at: new Date().toISOString(),
      application: {
        id: app.id,
        name: app.name,
        company_name: app.company_name,
        role_title: app.role_title,
        job_url: app.job_url,
        location: app.location,
        status: app.status,
      },
      posting: {
        markdown: 'posting/posting.md',
        snapshot: snapshot ? snapshotInfo(snapshot) : null,
      },
      documents: files,
    };
    entries.push({
      name: 'manifest.json',
      data: Buffer.from(`${JSON.stringify(manifest, null, 2)}\n`, 'utf8'),
    });
    return {
      filename: `${applicationBase(app)}_packet.zip`,
      contentType: CONTENT_TYPES.zip,
      body: await zipPacket(entries),
    };
  }
}

function snapshotInfo(s: PostingSnapshot) {
  return {
    file: 'posting/original.html',
    url: s.url,
    final_url: s.final_url,
    fetched_at: s.fetched_at,
  };
}

function postingMarkdown(app: Application): string {
  const facts = [
    app.location ? `- Location: ${app.location}` : undefined,
    app.job_url ? `- Posting: ${app.job_url}` : undefined,
  ].filter((x): x is string => x !== undefined);
  const head = `# ${app.role_title} at ${app.company_name}\n\n`;
  return `${head}${facts.length ? `${facts.join('\n')}\n\n` : ''}${app.job_description}\n`;
}

function renderDocument(
  compute: ComputePool,
  app: Application,
  doc: Document,
  user: User | undefined,
  format: ExportFormat,
): Promise<ExportFile> {
  const letterHead: LetterHead | undefined =
    doc.document_type === 'cover_letter' && user
      ? { name: fullName(user), contact: user.email }
      : undefined;
  return renderFile(compute, doc.content, format, `${applicationBase(app)}_${doc.document_type}`, {
    title: `${DOCUMENT_TITLES[doc.document_type]}: ${app.role_title} at ${app.company_name}`,
    author: fullName(user),
    ...(letterHead ? { letterHead } : {}),
  });
}

/** Markdown as is; PDF and DOCX rendered in the compute pool (a long document is seconds of CPU). */
async function renderFile(
  compute: ComputePool,
  markdown: string,
  format: ExportFormat,
  base: string,
  meta: { title: string; author: string; letterHead?: LetterHead },
): Promise<ExportFile> {
  const filename = `${base}.${format}`;
  const contentType = CONTENT_TYPES[format];
  switch (format) {
    case 'md':
      return { filename, contentType, body: Buffer.from(markdown, 'utf8') };
    case 'docx':
    case 'pdf': {
      const bytes = await compute.run(
        'renderDocument',
        { markdown, format, meta },
        `Rendering the ${format === 'pdf' ? 'PDF' : 'Word file'}`,
      );
      return {
        filename,
        contentType,
        body: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
      };
    }
    default: {
      const never: never = format;
      throw new Error(`unknown format ${String(never)}`);
    }
  }
}

const fullName = (user: User | undefined) =>
  user ? `${user.first_name} ${user.last_name}`.trim() : '';

const applicationBase = (app: Application) =>
  [safeName(app.company_name), safeName(app.role_title)].filter(Boolean).join('_') || 'application';

/**
 * ASCII for a Content-Disposition filename: accents folded (Société → societe), anything else
 * outside [a-z0-9] becomes one underscore, at most 60 characters.
 */
export function safeName(s: string): string {
  return s
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .replace(/ß/g, 'ss')
    .replace(/[æÆ]/g, 'ae')
    .replace(/[øØ]/g, 'o')
    .replace(/[^a-zA-Z0-9]+/g, '_')
    .replace(/^_+|(?<!_)_+$/g, '')
    .toLowerCase()
    .slice(0, 60)
    .replace(/(?<!_)_+$/, '');
}

const missing = (what: 'application' | 'document' | 'resume'): never => {
  throw notFound(what);
};

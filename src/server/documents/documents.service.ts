import type {
  Document,
  DocumentGrounding,
  DocumentType,
  DocumentVersion,
} from '../../contracts/documents.ts';
// The applications feature owns the application row and its timeline; documents only lock the
// row, check it exists and append to the timeline through these two modules.
import {
  applicationExists,
  lockApplication,
  recordApplicationEvent as recordEvent,
} from '../applications/applications.service.ts';
import type { AuthContext, Tenant } from '../auth/tenant.ts';
import type { ComputePool } from '../compute/compute-pool.ts';
import type { Tx } from '../db/database.ts';
import { notFound } from '../http/errors.ts';
import { findPrimaryResume, findResume } from '../resumes/resumes.service.ts';
import * as repo from './documents.repository.ts';

/**
 * An application's documents, one per type, each with its full version history (the current
 * content included). Writes lock the application row first: concurrent saves of one document run
 * one after another, so versions never collide and a racing first save becomes version 2.
 */
export class DocumentsService {
  constructor(
    private readonly tenant: Tenant,
    private readonly compute: ComputePool,
  ) {}

  list(auth: AuthContext, applicationId: string): Promise<{ items: Document[] }> {
    return this.tenant(auth, async (tx) => {
      await this.mustExist(tx, auth.userId, applicationId);
      return { items: await repo.list(tx, auth.userId, applicationId) };
    });
  }

  get(auth: AuthContext, applicationId: string, type: DocumentType): Promise<Document> {
    return this.tenant(auth, async (tx) => {
      await this.mustExist(tx, auth.userId, applicationId);
      return (await repo.find(tx, auth.userId, applicationId, type)) ?? missing('document');
    });
  }

  /** Creates (created: true) or replaces the document; identical content changes nothing. */
  save(
    auth: AuthContext,
    applicationId: string,
    type: DocumentType,
    content: string,
  ): Promise<{ document: Document; created: boolean }> {
    return this.tenant(auth, async (tx) => {
      const saved = await saveDocumentVersion(
        tx,
        auth.userId,
        applicationId,
        type,
        content,
        'user',
        { compute: this.compute },
      );
      return saved ?? missing('application');
    });
  }

  async delete(auth: AuthContext, applicationId: string, type: DocumentType): Promise<void> {
    await this.tenant(auth, async (tx) => {
      if (!(await lockApplication(tx, auth.userId, applicationId))) missing('application');
      if (!(await repo.remove(tx, auth.userId, applicationId, type))) missing('document');
      await recordEvent(tx, auth.userId, applicationId, {
        kind: 'document_deleted',
        document_type: type,
      });
    });
  }

  versions(
    auth: AuthContext,
    applicationId: string,
    type: DocumentType,
  ): Promise<{ items: DocumentVersion[] }> {
    return this.tenant(auth, async (tx) => {
      await this.mustExist(tx, auth.userId, applicationId);
      const doc = (await repo.find(tx, auth.userId, applicationId, type)) ?? missing('document');
      return { items: await repo.listVersions(tx, auth.userId, doc.id) };
    });
  }

  private async mustExist(tx: Tx, userId: string, applicationId: string): Promise<void> {
    if (!(await applicationExists(tx, userId, applicationId))) missing('application');
  }
}

/**
 * Saves a document as its next version in the caller's transaction (the generation feature saves
 * drafts this way, in the same transaction that records the job's progress). Identical content
 * changes nothing; undefined when the application is not the user's. A tailored resume is
 * checked against its source resume (`groundAgainst`, else the one its previous version was
 * checked against, else the primary resume) in the compute pool, and the report is stored with
 * the version. The check runs while the transaction holds the application's lock: it is bounded
 * by the pool's deadline, and the content it checks is exactly what is saved.
 */
export async function saveDocumentVersion(
  tx: Tx,
  userId: string,
  applicationId: string,
  type: DocumentType,
  content: string,
  source: DocumentVersion['source'],
  opts: { compute: ComputePool; groundAgainst?: string },
): Promise<{ document: Document; created: boolean; changed: boolean } | undefined> {
  if (!(await lockApplication(tx, userId, applicationId))) return undefined;
  const current = await repo.find(tx, userId, applicationId, type);
  if (current?.content === content) return { document: current, created: false, changed: false };
  const row = current
    ? await repo.replaceContent(tx, userId, current.id, content)
    : await repo.insert(tx, userId, applicationId, type, content);
  const grounding =
    type === 'optimized_resume'
      ? await ground(
          tx,
          opts.compute,
          userId,
          content,
          opts.groundAgainst ?? current?.grounding?.checked_against_resume_id,
        )
      : null;
  await repo.insertVersion(tx, userId, row, source, grounding);
  await recordEvent(tx, userId, applicationId, { kind: 'document_saved', document_type: type });
  return { document: repo.withGrounding(row, grounding), created: !current, changed: true };
}

/**
 * The grounding check of a tailored resume against the resume it was made from; the primary
 * resume when that one is gone or unknown (a user's own first save). Null without any resume.
 * The user's own edits are checked too: an edit can add claims as well as a model.
 */
async function ground(
  tx: Tx,
  compute: ComputePool,
  userId: string,
  content: string,
  resumeId: string | undefined,
): Promise<DocumentGrounding | null> {
  const resume =
    (resumeId ? await findResume(tx, userId, resumeId) : undefined) ??
    (await findPrimaryResume(tx, userId));
  if (!resume) return null;
  return {
    checked_against_resume_id: resume.id,
    ungrounded: await compute.run(
      'groundTailored',
      { tailored: content, source: resume.content },
      'Checking the tailored resume against its source',
    ),
  };
}

const missing = (what: 'application' | 'document'): never => {
  throw notFound(what);
};

/** For other features, inside their transaction: the current document of a type, if any. */
export const findDocument = (tx: Tx, userId: string, applicationId: string, type: DocumentType) =>
  repo.find(tx, userId, applicationId, type);
/** For other features, in their own transaction: every document of an application. */
export const listDocuments = repo.list;
/** For other features: which documents each of these applications has (ids and types only). */
export const listDocumentTypes = repo.listTypes;

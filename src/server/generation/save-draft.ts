import type { DocumentType } from '../../contracts/documents.ts';
import { lockApplication } from '../applications/applications.repository.ts';
import type { Tx } from '../db/database.ts';
import { saveDocumentVersion } from '../documents/documents.service.ts';
import { updateJob, type NewJobEvent } from './generation.repository.ts';

/** A reason a job cannot go on, in words for the user. */
export class JobFailure extends Error {}

export interface DraftRecord {
  userId: string;
  jobId: string;
  /** The worker holding the job's lease: every job write is fenced by it. */
  worker: string;
  applicationId: string;
  resumeId: string | null;
  type: DocumentType;
  content: string;
  /** Tokens to add to the job (the provider's count less what streaming already recorded). */
  usage: { input: number; output: number; costUsd: number | null };
  /** false: drafted only as context for the others (a report that was not asked for). */
  save: boolean;
}

/**
 * Records a finished document in the caller's transaction: its tokens, and when wanted its new
 * 'generated' version and the job's progress; returns the events announcing it.
 *
 * LOCK ORDER (decision 063): a transaction that writes more than one of an application, its
 * jobs and its documents takes their row locks in the order application → job → document.
 * Deleting an application does (applications.repository.ts `remove`), and so does this: the
 * application first, then the job's row, then the document. Taking the job's row before the
 * application's deadlocked with a delete on PostgreSQL (lock-order.test.ts). Writes that touch
 * the job's row alone (events, heartbeats, cancel) need no other lock.
 */
export async function saveDraft(tx: Tx, r: DraftRecord): Promise<NewJobEvent[]> {
  if (!(await lockApplication(tx, r.userId, r.applicationId)))
    throw new JobFailure('The application was deleted.');
  await updateJob(tx, r.userId, r.jobId, { addUsage: r.usage }, r.worker);
  if (!r.save) return [];
  const saved = await saveDocumentVersion(
    tx,
    r.userId,
    r.applicationId,
    r.type,
    r.content,
    'generated',
    { groundAgainst: r.resumeId ?? undefined },
  );
  if (!saved) throw new JobFailure('The application was deleted.');
  await updateJob(tx, r.userId, r.jobId, { progress: { [r.type]: 'saved' } }, r.worker);
  return [
    { kind: 'progress', data: { document_type: r.type, state: 'saved' } },
    {
      kind: 'document',
      data: {
        document_type: r.type,
        document_id: saved.document.id,
        version: saved.document.version,
        changed: saved.changed,
        // Tailored resumes: claims the source resume does not support (grounding check).
        ...(saved.document.grounding
          ? { ungrounded_count: saved.document.grounding.ungrounded.length }
          : {}),
      },
    },
  ];
}

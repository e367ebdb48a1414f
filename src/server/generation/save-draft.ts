import type { DocumentType } from '../../contracts/documents.ts';
import { lockApplication } from '../applications/applications.service.ts';
import type { ComputePool } from '../compute/compute-pool.ts';
import type { Tx } from '../db/database.ts';
import { saveDocumentVersion } from '../documents/documents.service.ts';
import type { JobPatch, NewJobEvent } from './generation.repository.ts';

/** A reason a job cannot go on, in words for the user. */
export class JobFailure extends Error {}

export interface DraftRecord {
  userId: string;
  applicationId: string;
  resumeId: string | null;
  type: DocumentType;
  content: string;
  /** Tokens to add to the job (the provider's count less what streaming already recorded). */
  usage: { input: number; output: number; costUsd: number | null };
  /** false: drafted only as context for the others (a report that was not asked for). */
  save: boolean;
  /** Where a tailored resume's grounding check runs. */
  compute: ComputePool;
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
export async function saveDraft(
  tx: Tx,
  r: DraftRecord,
  /** Writes the job's row (the job's one writer, fenced by its lease). */
  writeJob: (patch: JobPatch) => Promise<void>,
): Promise<NewJobEvent[]> {
  if (!(await lockApplication(tx, r.userId, r.applicationId)))
    throw new JobFailure('The application was deleted.');
  // Marked saved before the document is written: one transaction, so both or neither.
  await writeJob({ addUsage: r.usage, ...(r.save ? { progress: { [r.type]: 'saved' } } : {}) });
  if (!r.save) return [];
  const saved = await saveDocumentVersion(
    tx,
    r.userId,
    r.applicationId,
    r.type,
    r.content,
    'generated',
    { groundAgainst: r.resumeId ?? undefined, compute: r.compute },
  );
  if (!saved) throw new JobFailure('The application was deleted.');
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

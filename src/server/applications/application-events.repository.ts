import type { ApplicationEvent, ApplicationStatus } from '../../contracts/applications.ts';
import type { DocumentType } from '../../contracts/documents.ts';
import type { Tx } from '../db/database.ts';

export type NewEvent =
  | { kind: 'created'; to_status: ApplicationStatus }
  | { kind: 'status_changed'; from_status: ApplicationStatus; to_status: ApplicationStatus }
  | { kind: 'document_saved' | 'document_deleted'; document_type: DocumentType };

/**
 * Appends to an application's timeline, in the caller's transaction: an event exists exactly
 * when the change it records was committed. Also written by the documents feature.
 */
export async function recordEvent(
  tx: Tx,
  userId: string,
  applicationId: string,
  e: NewEvent,
): Promise<void> {
  await tx.query(
    `INSERT INTO application_events
       (user_id, application_id, kind, from_status, to_status, document_type)
     VALUES ($1, $2, $3, $4, $5, $6)`,
    [
      userId,
      applicationId,
      e.kind,
      'from_status' in e ? e.from_status : null,
      'to_status' in e ? e.to_status : null,
      'document_type' in e ? e.document_type : null,
    ],
  );
}

/** Oldest first; created_at is clock_timestamp(), so events of one transaction keep their order. */
export async function listEvents(
  tx: Tx,
  userId: string,
  applicationId: string,
): Promise<ApplicationEvent[]> {
  const { rows } = await tx.query<ApplicationEvent>(
    `SELECT id, kind, from_status, to_status, document_type, created_at
       FROM application_events WHERE application_id = $1 AND user_id = $2
      ORDER BY created_at, id`,
    [applicationId, userId],
  );
  return rows;
}

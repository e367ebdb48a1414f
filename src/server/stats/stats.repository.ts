import type { ApplicationStats } from '../../contracts/stats.ts';
import type { Tx } from '../db/database.ts';

type Totals = Omit<ApplicationStats, 'weeks' | 'response_rate'>;

// applied_at: the first event that set status 'applied'. responded_at: the first event after it
// that set interview, offer or rejected. Applications that skipped 'applied' count in the funnel
// but not in the response figures: there is no date to measure from.
const MILESTONES = `
  WITH applied AS (
    SELECT application_id, min(created_at) AS at
      FROM application_events
     WHERE user_id = $1 AND to_status = 'applied'
     GROUP BY application_id
  ), responded AS (
    SELECT p.application_id, p.at AS applied_at, min(e.created_at) AS at
      FROM applied p
      JOIN application_events e
        ON e.application_id = p.application_id AND e.user_id = $1
       AND e.to_status IN ('interview', 'offer', 'rejected') AND e.created_at >= p.at
     GROUP BY p.application_id, p.at
  )`;

/** Counts by status and the applied → response figures, from applications and their timeline. */
export async function totals(tx: Tx, userId: string): Promise<Totals> {
  const { rows } = await tx.query<{
    total: number;
    draft: number;
    applied: number;
    interview: number;
    rejected: number;
    offer: number;
    applied_count: number;
    responded_count: number;
    median_days: number | null;
  }>(
    `${MILESTONES}
     SELECT
       (SELECT count(*) FROM applications WHERE user_id = $1)::int AS total,
       (SELECT count(*) FROM applications WHERE user_id = $1 AND status = 'draft')::int AS draft,
       (SELECT count(*) FROM applications WHERE user_id = $1 AND status = 'applied')::int AS applied,
       (SELECT count(*) FROM applications WHERE user_id = $1 AND status = 'interview')::int AS interview,
       (SELECT count(*) FROM applications WHERE user_id = $1 AND status = 'rejected')::int AS rejected,
       (SELECT count(*) FROM applications WHERE user_id = $1 AND status = 'offer')::int AS offer,
       (SELECT count(*) FROM applied)::int AS applied_count,
       (SELECT count(*) FROM responded)::int AS responded_count,
       (SELECT percentile_cont(0.5) WITHIN GROUP
                 (ORDER BY extract(epoch FROM at - applied_at) / 86400)
          FROM responded)::float8 AS median_days`,
    [userId],
  );
  const r = rows[0]!;
  return {
    total: r.total,
    by_status: {
      draft: r.draft,
      applied: r.applied,
      interview: r.interview,
      rejected: r.rejected,
      offer: r.offer,
    },
    applied_count: r.applied_count,
    responded_count: r.responded_count,
    median_days_to_response: r.median_days === null ? null : Number(r.median_days),
  };
}

/** The last `n` ISO weeks (Monday, UTC), oldest first, with zero for empty weeks. */
export async function weeks(tx: Tx, userId: string, n = 12): Promise<ApplicationStats['weeks']> {
  const { rows } = await tx.query<ApplicationStats['weeks'][number]>(
    `WITH weeks AS (
       SELECT generate_series(
                date_trunc('week', now() AT TIME ZONE 'UTC') - ($2::int - 1) * interval '1 week',
                date_trunc('week', now() AT TIME ZONE 'UTC'),
                interval '1 week') AS w
     ), applied AS (
       SELECT min(created_at) AS at FROM application_events
        WHERE user_id = $1 AND to_status = 'applied' GROUP BY application_id
     )
     SELECT to_char(w, 'YYYY-MM-DD') AS week_start,
            (SELECT count(*) FROM applications a WHERE a.user_id = $1
                AND date_trunc('week', a.created_at AT TIME ZONE 'UTC') = w)::int AS added,
            (SELECT count(*) FROM applied p
              WHERE date_trunc('week', p.at AT TIME ZONE 'UTC') = w)::int AS applied
       FROM weeks ORDER BY w`,
    [userId, n],
  );
  return rows;
}

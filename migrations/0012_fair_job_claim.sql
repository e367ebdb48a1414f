-- Fair scheduling of drafting jobs (issue 9, decision 063). The claim now takes, among the users
-- with a claimable job and fewer than p_max_running jobs running, the one who has waited
-- longest, and that user's oldest job. A user's wait starts at the later of their oldest
-- claimable job's creation and the last time a job of theirs ran (started or finished), so a
-- user whose job just ended goes behind one who has been waiting, and one user's long queue
-- cannot hold another's draft back.
--
-- The per-user limit must hold across instances: two workers claiming at once would both count
-- a user's running jobs before either claim commits. Claims therefore take one transaction-level
-- advisory lock first and read with a fresh snapshot after it (plpgsql: one per statement), so
-- they run one after another; a claim is a few index reads, and workers claim at most a few
-- times a second. SKIP LOCKED (decision 010) stays: a job whose row another transaction holds
-- (a cancel, the old worker's last write) is passed over rather than waited for.

-- Served by the per-user lookups below: a user's running jobs and their last start and finish.
CREATE INDEX generation_jobs_user_active ON generation_jobs (user_id, status)
  WHERE status IN ('queued', 'running');
CREATE INDEX generation_jobs_user_finished ON generation_jobs (user_id, finished_at)
  WHERE started_at IS NOT NULL;

DROP FUNCTION generation_claim_job(text, double precision);

CREATE FUNCTION generation_claim_job(
  p_worker text, p_lease_seconds double precision, p_max_running integer)
  RETURNS TABLE (job_id uuid, user_id uuid, attempt integer)
  LANGUAGE plpgsql VOLATILE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
  DECLARE
    v_id uuid;
  BEGIN
    -- Any fixed key: it only has to be the same for every claim.
    PERFORM pg_advisory_xact_lock(1785361203);
    WITH claimable AS (
      SELECT c.id, c.user_id, c.created_at FROM generation_jobs c
       WHERE c.status = 'queued'
          OR (c.status = 'running' AND c.lease_expires_at < clock_timestamp())
    ), waiting AS (
      SELECT q.user_id,
             greatest(
               min(q.created_at),
               (SELECT max(f.finished_at) FROM generation_jobs f
                 WHERE f.user_id = q.user_id AND f.started_at IS NOT NULL),
               (SELECT max(r.started_at) FROM generation_jobs r
                 WHERE r.user_id = q.user_id AND r.status = 'running')
             ) AS since
        FROM claimable q
       WHERE (SELECT count(*) FROM generation_jobs r
               WHERE r.user_id = q.user_id AND r.status = 'running'
                 AND r.lease_expires_at >= clock_timestamp()) < p_max_running
       GROUP BY q.user_id
    )
    SELECT c.id INTO v_id
      FROM generation_jobs c JOIN waiting w ON w.user_id = c.user_id
     WHERE c.status = 'queued'
        OR (c.status = 'running' AND c.lease_expires_at < clock_timestamp())
     ORDER BY w.since, c.created_at, c.id
     LIMIT 1
     FOR UPDATE OF c SKIP LOCKED;
    IF v_id IS NULL THEN
      RETURN;
    END IF;
    RETURN QUERY
      UPDATE generation_jobs j
         SET status = 'running',
             lease_owner = p_worker,
             lease_expires_at = clock_timestamp() + make_interval(secs => p_lease_seconds),
             attempts = j.attempts + 1,
             started_at = coalesce(j.started_at, clock_timestamp())
       WHERE j.id = v_id
      RETURNING j.id, j.user_id, j.attempts;
  END
  $$;
REVOKE ALL ON FUNCTION generation_claim_job(text, double precision, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION generation_claim_job(text, double precision, integer) TO jobforge_app;

-- Durable drafting jobs and their event log (decision 010). Tenant tables like the others:
-- user_id, composite foreign keys, forced row-level security. Workers find the next job across
-- users only through generation_claim_job(), which returns ids and nothing else.

CREATE TABLE generation_jobs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  application_id uuid NOT NULL,
  resume_id uuid,
  document_types document_type[] NOT NULL,
  status text NOT NULL DEFAULT 'queued',
  -- document type → queued | running | saved | failed | cancelled
  progress jsonb NOT NULL DEFAULT '{}',
  error text,
  provider text NOT NULL,
  model text NOT NULL,
  prompt_versions jsonb NOT NULL DEFAULT '{}',
  input_tokens integer NOT NULL DEFAULT 0,
  output_tokens integer NOT NULL DEFAULT 0,
  idempotency_key text,
  attempts integer NOT NULL DEFAULT 0,
  max_attempts integer NOT NULL,
  cancel_requested boolean NOT NULL DEFAULT false,
  -- The worker holding the job and until when; an expired lease means its process died.
  lease_owner text,
  lease_expires_at timestamptz,
  -- The last event's sequence number: bumping it under the row lock orders every writer.
  event_seq integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  started_at timestamptz,
  finished_at timestamptz,
  updated_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (application_id, user_id) REFERENCES applications (id, user_id) ON DELETE CASCADE,
  FOREIGN KEY (resume_id, user_id) REFERENCES user_resumes (id, user_id) ON DELETE SET NULL (resume_id),
  CONSTRAINT generation_jobs_status CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
  CONSTRAINT generation_jobs_types_not_empty CHECK (cardinality(document_types) > 0),
  CONSTRAINT generation_jobs_idempotency_key CHECK (char_length(idempotency_key) BETWEEN 1 AND 200),
  UNIQUE (id, user_id)
);
CREATE UNIQUE INDEX generation_jobs_idempotency ON generation_jobs (user_id, idempotency_key)
  WHERE idempotency_key IS NOT NULL;
CREATE INDEX generation_jobs_user ON generation_jobs (user_id, created_at);
CREATE INDEX generation_jobs_application ON generation_jobs (application_id);
CREATE INDEX generation_jobs_resume ON generation_jobs (resume_id);
-- What workers scan: only unfinished jobs.
CREATE INDEX generation_jobs_pending ON generation_jobs (created_at, id)
  WHERE status IN ('queued', 'running');
CREATE TRIGGER generation_jobs_updated_at BEFORE UPDATE ON generation_jobs
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Every event a client of /events sees, in order, kept after the job ends: replay works from any
-- instance, after reconnecting (Last-Event-ID) and after the job has finished.
CREATE TABLE generation_job_events (
  job_id uuid NOT NULL,
  user_id uuid NOT NULL,
  seq integer NOT NULL,
  kind text NOT NULL,
  data jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  PRIMARY KEY (job_id, seq),
  FOREIGN KEY (job_id, user_id) REFERENCES generation_jobs (id, user_id) ON DELETE CASCADE,
  CONSTRAINT generation_job_events_kind CHECK (kind IN ('progress', 'delta', 'document', 'error', 'done'))
);
CREATE INDEX generation_job_events_user ON generation_job_events (user_id);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['generation_jobs', 'generation_job_events']
  LOOP
    EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
    EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', t);
    EXECUTE format(
      'CREATE POLICY %I ON %I TO jobforge_app USING (user_id = (SELECT app_current_user_id())) WITH CHECK (user_id = (SELECT app_current_user_id()))',
      t || '_tenant', t);
    EXECUTE format('CREATE POLICY %I ON %I TO jobforge_admin USING (true) WITH CHECK (true)', t || '_admin', t);
    EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON %I TO jobforge_app, jobforge_admin', t);
  END LOOP;
END
$$;

-- The one path across users: a worker claims the oldest queued job, or a running one whose lease
-- has expired (its worker died), and gets back only its id, owner and attempt number. SKIP LOCKED
-- lets several workers on one database claim different jobs without waiting on each other.
-- Everything else the worker does runs as that user under row-level security.
CREATE FUNCTION generation_claim_job(p_worker text, p_lease_seconds double precision)
  RETURNS TABLE (job_id uuid, user_id uuid, attempt integer)
  LANGUAGE sql VOLATILE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$
    UPDATE generation_jobs j
       SET status = 'running',
           lease_owner = p_worker,
           lease_expires_at = clock_timestamp() + make_interval(secs => p_lease_seconds),
           attempts = j.attempts + 1,
           started_at = coalesce(j.started_at, now())
     WHERE j.id = (SELECT c.id FROM generation_jobs c
                    WHERE c.status = 'queued'
                       OR (c.status = 'running' AND c.lease_expires_at < clock_timestamp())
                    ORDER BY c.created_at, c.id
                    LIMIT 1
                    FOR UPDATE SKIP LOCKED)
    RETURNING j.id, j.user_id, j.attempts
  $$;
REVOKE ALL ON FUNCTION generation_claim_job(text, double precision) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION generation_claim_job(text, double precision) TO jobforge_app;

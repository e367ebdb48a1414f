-- The frozen copy of an imported job posting page (issue 5). Created by the import, before the
-- user has confirmed the draft, so application_id starts NULL; confirming attaches it to the new
-- application in the same transaction. The composite foreign key keeps it with its owner's
-- application and goes with it when the application is deleted.

CREATE TABLE job_posting_snapshots (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  application_id uuid,
  url text,
  final_url text,
  content_type text,
  html text NOT NULL,
  extracted jsonb NOT NULL DEFAULT '[]',
  fetched_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (application_id, user_id) REFERENCES applications (id, user_id) ON DELETE CASCADE,
  CONSTRAINT job_posting_snapshots_html_size CHECK (octet_length(html) <= 4194304),
  UNIQUE (id, user_id)
);
-- One posting per application; any number of unconfirmed drafts.
CREATE UNIQUE INDEX job_posting_snapshots_application ON job_posting_snapshots (application_id)
  WHERE application_id IS NOT NULL;
CREATE INDEX job_posting_snapshots_user ON job_posting_snapshots (user_id, fetched_at);

ALTER TABLE job_posting_snapshots ENABLE ROW LEVEL SECURITY;
ALTER TABLE job_posting_snapshots FORCE ROW LEVEL SECURITY;
CREATE POLICY job_posting_snapshots_tenant ON job_posting_snapshots TO jobforge_app
  USING (user_id = (SELECT app_current_user_id()))
  WITH CHECK (user_id = (SELECT app_current_user_id()));
CREATE POLICY job_posting_snapshots_admin ON job_posting_snapshots TO jobforge_admin
  USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE, DELETE ON job_posting_snapshots TO jobforge_app, jobforge_admin;

-- The seed's tenant tables, each with user_id (seed-review #5), forced RLS and a b-tree on user_id.

CREATE TYPE application_status AS ENUM ('draft', 'applied', 'interview', 'rejected', 'offer');
CREATE TYPE document_type AS ENUM ('research_report', 'optimized_resume', 'cover_letter');
CREATE TYPE focus_area AS ENUM ('software_development', 'data_science', 'management', 'consulting', 'other');

CREATE TABLE user_resumes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL,
  content text NOT NULL,
  focus_area focus_area NOT NULL DEFAULT 'other',
  is_primary boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', name), 'A') || setweight(to_tsvector('english', content), 'B')
  ) STORED,
  CONSTRAINT user_resumes_name_not_blank CHECK (char_length(btrim(name)) > 0),
  CONSTRAINT user_resumes_content_min_length CHECK (char_length(content) >= 100),
  UNIQUE (id, user_id)
);
CREATE INDEX user_resumes_user_id ON user_resumes (user_id, created_at);
-- seed-review #1: one primary per user, any number of others.
CREATE UNIQUE INDEX user_resumes_one_primary ON user_resumes (user_id) WHERE is_primary;
CREATE INDEX user_resumes_search ON user_resumes USING gin (search);
CREATE TRIGGER user_resumes_updated_at BEFORE UPDATE ON user_resumes
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

CREATE TABLE applications (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name text NOT NULL,
  company_name text NOT NULL,
  role_title text NOT NULL,
  job_description text NOT NULL,
  job_url text,
  location text,
  status application_status NOT NULL DEFAULT 'draft',
  notes text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('english', company_name), 'A')
      || setweight(to_tsvector('english', role_title), 'A')
      || setweight(to_tsvector('english', job_description), 'B')
      || setweight(to_tsvector('english', notes), 'C')
  ) STORED,
  CONSTRAINT applications_company_not_blank CHECK (char_length(btrim(company_name)) > 0),
  CONSTRAINT applications_role_not_blank CHECK (char_length(btrim(role_title)) > 0),
  CONSTRAINT applications_description_min_length CHECK (char_length(job_description) >= 50),
  CONSTRAINT applications_job_url_http CHECK (job_url IS NULL OR job_url ~* '^https?://[^\s/$.?#][^\s]*$'),
  UNIQUE (id, user_id)
);
CREATE INDEX applications_user_created ON applications (user_id, created_at);
CREATE INDEX applications_user_updated ON applications (user_id, updated_at);
CREATE INDEX applications_user_company ON applications (user_id, lower(company_name));
CREATE INDEX applications_user_status ON applications (user_id, status);
CREATE INDEX applications_search ON applications USING gin (search);
CREATE TRIGGER applications_updated_at BEFORE UPDATE ON applications
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- seed-review #8: the status timeline and the source of every statistic.
CREATE TABLE application_events (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  application_id uuid NOT NULL,
  kind text NOT NULL,
  from_status application_status,
  to_status application_status,
  document_type document_type,
  created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
  FOREIGN KEY (application_id, user_id) REFERENCES applications (id, user_id) ON DELETE CASCADE,
  CONSTRAINT application_events_kind CHECK (kind IN ('created', 'status_changed', 'document_saved', 'document_deleted'))
);
CREATE INDEX application_events_application ON application_events (application_id, created_at);
CREATE INDEX application_events_user ON application_events (user_id, created_at);

CREATE TABLE documents (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  application_id uuid NOT NULL,
  document_type document_type NOT NULL,
  content text NOT NULL,
  version integer NOT NULL DEFAULT 1,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  search tsvector GENERATED ALWAYS AS (to_tsvector('english', content)) STORED,
  FOREIGN KEY (application_id, user_id) REFERENCES applications (id, user_id) ON DELETE CASCADE,
  CONSTRAINT documents_content_not_blank CHECK (char_length(btrim(content)) > 0),
  UNIQUE (application_id, document_type),
  UNIQUE (id, user_id)
);
CREATE INDEX documents_user ON documents (user_id);
CREATE INDEX documents_search ON documents USING gin (search);
CREATE TRIGGER documents_updated_at BEFORE UPDATE ON documents
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

-- Every saved content of a document, the current one included (version = documents.version).
CREATE TABLE document_versions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL,
  document_id uuid NOT NULL,
  version integer NOT NULL,
  content text NOT NULL,
  source text NOT NULL DEFAULT 'user',
  created_at timestamptz NOT NULL DEFAULT now(),
  FOREIGN KEY (document_id, user_id) REFERENCES documents (id, user_id) ON DELETE CASCADE,
  CONSTRAINT document_versions_source CHECK (source IN ('user', 'generated', 'restored')),
  UNIQUE (document_id, version)
);
CREATE INDEX document_versions_user ON document_versions (user_id);

DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['user_resumes', 'applications', 'application_events', 'documents', 'document_versions']
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

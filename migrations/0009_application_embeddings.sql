-- Issue 3: similar applications and semantic search. document_embeddings also holds the vectors of
-- applications (role, company, description), one row per subject and model, so that the
-- pgvector-or-real[] column chosen by 0003, its row-level security and its exclusion from the
-- account export (derived data, recomputed on demand) apply to both. content_hash is the md5 of
-- the text that was embedded: a row whose text changed since is recomputed before it is searched.
ALTER TABLE document_embeddings ALTER COLUMN document_id DROP NOT NULL;
ALTER TABLE document_embeddings ADD COLUMN application_id uuid;
ALTER TABLE document_embeddings ADD COLUMN content_hash text;
ALTER TABLE document_embeddings
  ADD CONSTRAINT document_embeddings_application
  FOREIGN KEY (application_id, user_id) REFERENCES applications (id, user_id) ON DELETE CASCADE;
ALTER TABLE document_embeddings
  ADD CONSTRAINT document_embeddings_one_subject CHECK (num_nonnulls(document_id, application_id) = 1);
ALTER TABLE document_embeddings
  ADD CONSTRAINT document_embeddings_application_model UNIQUE (application_id, model);

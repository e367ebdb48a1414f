-- seed-review #6, #7, #9: per-user exact search, model and dimension recorded with each vector,
-- pgvector where the server has it and real[] where it does not (chosen here, at migration time).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector')
     AND EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') THEN
    BEGIN
      CREATE EXTENSION vector;
    EXCEPTION WHEN insufficient_privilege OR feature_not_supported OR undefined_file THEN
      RAISE NOTICE 'pgvector is available but could not be created (%); using real[] embeddings', SQLERRM;
    END;
  END IF;

  EXECUTE format($f$
    CREATE TABLE document_embeddings (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      user_id uuid NOT NULL,
      document_id uuid NOT NULL,
      model text NOT NULL,
      dimensions integer NOT NULL CHECK (dimensions BETWEEN 1 AND 16000),
      embedding %s NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now(),
      FOREIGN KEY (document_id, user_id) REFERENCES documents (id, user_id) ON DELETE CASCADE,
      UNIQUE (document_id, model)
    )$f$,
    CASE WHEN EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') THEN 'vector' ELSE 'real[]' END);
END
$$;

CREATE INDEX document_embeddings_user ON document_embeddings (user_id, model);

-- Fallback distance for real[] storage; vectors are stored normalised, so cosine distance is
-- 1 - dot product.
CREATE FUNCTION jobforge_cosine_distance(a real[], b real[]) RETURNS double precision
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$ SELECT 1 - sum(x * y) FROM unnest(a, b) AS t(x, y) $$;

ALTER TABLE document_embeddings ENABLE ROW LEVEL SECURITY;
ALTER TABLE document_embeddings FORCE ROW LEVEL SECURITY;
CREATE POLICY document_embeddings_tenant ON document_embeddings TO jobforge_app
  USING (user_id = (SELECT app_current_user_id()))
  WITH CHECK (user_id = (SELECT app_current_user_id()));
CREATE POLICY document_embeddings_admin ON document_embeddings TO jobforge_admin USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE, DELETE ON document_embeddings TO jobforge_app, jobforge_admin;

-- Issue 3: the grounding check of a tailored resume, stored with the version it judged:
-- {"checked_against_resume_id": uuid, "ungrounded": [{"text", "kind", "line"}]}. NULL for
-- other document types and for versions saved before this migration (or without a resume).
-- The resume id is kept as a value, not a foreign key: the report stays true of the version
-- even after that resume is edited or deleted.
ALTER TABLE document_versions ADD COLUMN grounding jsonb;
ALTER TABLE document_versions ADD CONSTRAINT document_versions_grounding_shape CHECK (
  grounding IS NULL
  OR (jsonb_typeof(grounding -> 'ungrounded') = 'array'
      AND jsonb_typeof(grounding -> 'checked_against_resume_id') = 'string')
);

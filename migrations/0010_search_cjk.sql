-- Search in languages written without spaces (decision 060). The English parser reads a run of
-- Chinese, Japanese or Korean characters as one word ("熟练掌握", "和数据分析"), so a word inside
-- it was never found. Each searchable text now also contributes the overlapping two-character
-- pieces and the single characters of its CJK runs; search.repository.ts turns a CJK word of the
-- query into the phrase of its pieces ("数据分析" → '数据' <-> '据分' <-> '分析'), which the same
-- GIN indexes answer. Plain SQL, no extension: identical on PGlite and PostgreSQL 15.

-- A run of CJK characters (Hangul jamo, kana, CJK ideographs, Hangul syllables, halfwidth kana);
-- src/server/search/cjk.ts uses the same ranges.
CREATE FUNCTION jobforge_cjk_run_pattern() RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT '[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f]+'::text $$;

-- The CJK runs of t as space-separated grams: each run's overlapping bigrams in order (adjacent
-- positions, so phrases match), then its single characters (one-character queries).
CREATE FUNCTION jobforge_cjk_grams(t text) RETURNS text
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$
    SELECT coalesce(string_agg(g, ' ' ORDER BY run_no, part, pos), '')
      FROM regexp_matches(t, jobforge_cjk_run_pattern(), 'g')
             WITH ORDINALITY AS r(m, run_no),
           LATERAL (
             SELECT 1 AS part, i AS pos, substr(m[1], i, 2) AS g
               FROM generate_series(1, char_length(m[1]) - 1) AS i
             UNION ALL
             SELECT 2, i, substr(m[1], i, 1) FROM generate_series(1, char_length(m[1])) AS i
           ) AS grams
  $$;

-- The words of t (English stemming, as before) followed by its CJK grams, all with weight w. The
-- words are read with the CJK runs blanked out: "掌握Python和" was one word, now "python" is one.
CREATE FUNCTION jobforge_search_vector(t text, w "char") RETURNS tsvector
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
  AS $$
    SELECT setweight(
      to_tsvector('english', regexp_replace(t, jobforge_cjk_run_pattern(), ' ', 'g'))
        || to_tsvector('english', jobforge_cjk_grams(t)),
      w)
  $$;

-- PostgreSQL 15 cannot change a generated column's expression: drop and add (the tables are
-- rewritten once; the GIN indexes go with the column and are rebuilt).
ALTER TABLE user_resumes DROP COLUMN search;
ALTER TABLE user_resumes ADD COLUMN search tsvector GENERATED ALWAYS AS (
  jobforge_search_vector(name, 'A') || jobforge_search_vector(content, 'B')
) STORED;
CREATE INDEX user_resumes_search ON user_resumes USING gin (search);

ALTER TABLE applications DROP COLUMN search;
ALTER TABLE applications ADD COLUMN search tsvector GENERATED ALWAYS AS (
  jobforge_search_vector(company_name, 'A')
    || jobforge_search_vector(role_title, 'A')
    || jobforge_search_vector(job_description, 'B')
    || jobforge_search_vector(notes, 'C')
) STORED;
CREATE INDEX applications_search ON applications USING gin (search);

ALTER TABLE documents DROP COLUMN search;
ALTER TABLE documents ADD COLUMN search tsvector GENERATED ALWAYS AS (
  jobforge_search_vector(content, 'D')
) STORED;
CREATE INDEX documents_search ON documents USING gin (search);

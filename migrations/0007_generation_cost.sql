-- An estimated cost per generation job (issue 3), in US dollars, from the tokens it used and the
-- price of its model (src/server/generation/cost.ts). NULL means "unknown": a model with no known
-- price (a hosted OpenAI-compatible service, a new model name). New jobs start at 0 and each
-- document's usage adds to it; one unpriced part makes the whole estimate NULL.
ALTER TABLE generation_jobs ADD COLUMN estimated_cost_usd numeric(14, 6) DEFAULT 0;

-- Jobs that ran before prices were kept: unknown, except the offline engine's, which are free.
UPDATE generation_jobs SET estimated_cost_usd = NULL
 WHERE provider <> 'offline' AND input_tokens + output_tokens > 0;

-- The daily budget sums a user's tokens by the day their jobs were requested; the existing
-- (user_id, created_at) index serves that query.

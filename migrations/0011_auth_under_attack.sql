-- Authentication under attack (decision 065).
--
-- auth_throttle now counts an attempt before the password is checked, so parallel attempts
-- cannot all slip past the limit: last_attempt_at drives the progressive delay of an
-- (account, address) pair and lets old rows be forgotten. The table still holds hashed keys only
-- (no user data), so it stays outside row-level security, as in 0001.
ALTER TABLE auth_throttle ADD COLUMN last_attempt_at timestamptz NOT NULL DEFAULT now();
-- Failed sign-ins drop the rows nobody touched for a day; under a spray of addresses that is
-- many rows, so the sweep reads an index rather than the table.
CREATE INDEX auth_throttle_last_attempt_at ON auth_throttle (last_attempt_at);

-- A rotated refresh token keeps its successor, sealed with a key derived from the server secret
-- (AES-GCM, the user's id as associated data), for the few seconds in which presenting it again is
-- a second tab racing the first rather than a theft: that caller gets the session's current
-- tokens. Cleared once the grace window has passed. refresh_tokens keeps its forced RLS.
ALTER TABLE refresh_tokens ADD COLUMN successor_sealed text;

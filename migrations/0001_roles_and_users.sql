-- Roles, the user-context function and the users table.
--
-- jobforge_app   : the role every request's queries run as (SET LOCAL ROLE). Not superuser, no
--                  BYPASSRLS, owns nothing: row-level security always applies to it.
-- jobforge_admin : operators (the migration/owner role is made a member). Policies grant it every
--                  row, so `jobforge user list` works without superuser rights on a server.
-- Roles are cluster-wide; creating them tolerates a concurrent creator (several databases
-- migrating at once on one server).
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jobforge_app') THEN
    BEGIN
      CREATE ROLE jobforge_app NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jobforge_admin') THEN
    BEGIN
      CREATE ROLE jobforge_admin NOLOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
  END IF;
  IF NOT pg_has_role(current_user, 'jobforge_admin', 'MEMBER') THEN
    EXECUTE format('GRANT jobforge_admin TO %I', current_user);
  END IF;
  IF NOT pg_has_role(current_user, 'jobforge_app', 'MEMBER') THEN
    EXECUTE format('GRANT jobforge_app TO %I', current_user);
  END IF;
END
$$;

GRANT USAGE ON SCHEMA public TO jobforge_app, jobforge_admin;

-- No context (or the empty string a finished transaction leaves behind) means NULL: zero rows,
-- never a cast error.
CREATE FUNCTION app_current_user_id() RETURNS uuid
  LANGUAGE sql STABLE
  AS $$ SELECT nullif(current_setting('app.current_user_id', true), '')::uuid $$;

CREATE FUNCTION set_updated_at() RETURNS trigger
  LANGUAGE plpgsql
  AS $$ BEGIN NEW.updated_at = now(); RETURN NEW; END $$;

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL,
  password_hash text NOT NULL,
  first_name text NOT NULL,
  last_name text NOT NULL,
  is_active boolean NOT NULL DEFAULT true,
  password_changed_at timestamptz NOT NULL DEFAULT now(),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT users_email_length CHECK (char_length(email) BETWEEN 3 AND 254),
  CONSTRAINT users_first_name_not_blank CHECK (char_length(btrim(first_name)) > 0),
  CONSTRAINT users_last_name_not_blank CHECK (char_length(btrim(last_name)) > 0)
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));
CREATE TRIGGER users_updated_at BEFORE UPDATE ON users
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

ALTER TABLE users ENABLE ROW LEVEL SECURITY;
ALTER TABLE users FORCE ROW LEVEL SECURITY;
CREATE POLICY users_self ON users TO jobforge_app
  USING (id = (SELECT app_current_user_id()))
  WITH CHECK (id = (SELECT app_current_user_id()));
CREATE POLICY users_admin ON users TO jobforge_admin USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE, DELETE ON users TO jobforge_app, jobforge_admin;

-- The one path that reads a user before any user context exists: login needs the id and the
-- password hash for one email. SECURITY DEFINER runs as the owner, who is a member of
-- jobforge_admin; it returns nothing else and only for an exact (case-insensitive) email.
CREATE FUNCTION auth_lookup_user(p_email text)
  RETURNS TABLE (id uuid, password_hash text, is_active boolean)
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$ SELECT u.id, u.password_hash, u.is_active FROM users u WHERE lower(u.email) = lower(p_email) $$;
REVOKE ALL ON FUNCTION auth_lookup_user(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_lookup_user(text) TO jobforge_app;

-- Registration must tell "email taken" without reading other users' rows.
CREATE FUNCTION auth_email_taken(p_email text) RETURNS boolean
  LANGUAGE sql STABLE SECURITY DEFINER
  SET search_path = public, pg_temp
  AS $$ SELECT EXISTS (SELECT 1 FROM users u WHERE lower(u.email) = lower(p_email)) $$;
REVOKE ALL ON FUNCTION auth_email_taken(text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION auth_email_taken(text) TO jobforge_app;

-- Sessions: one per sign-in (a refresh-token family). Access tokens name their session, so a
-- revoked session stops its access tokens at the next request.
CREATE TABLE sessions (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  user_id uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  user_agent text,
  ip text,
  created_at timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz NOT NULL DEFAULT now(),
  revoked_at timestamptz,
  revoked_reason text,
  UNIQUE (id, user_id)
);
CREATE INDEX sessions_user_id ON sessions (user_id);

CREATE TABLE refresh_tokens (
  token_hash bytea PRIMARY KEY,
  user_id uuid NOT NULL,
  session_id uuid NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_at timestamptz,
  FOREIGN KEY (session_id, user_id) REFERENCES sessions (id, user_id) ON DELETE CASCADE
);
CREATE INDEX refresh_tokens_user_id ON refresh_tokens (user_id);
CREATE INDEX refresh_tokens_session_id ON refresh_tokens (session_id);

-- Failed-login counters, keyed by a hash of the account or the client address. Shared by all
-- app instances on one database. Holds no user data, so it is not a tenant table.
CREATE TABLE auth_throttle (
  key bytea PRIMARY KEY,
  failures integer NOT NULL,
  window_started_at timestamptz NOT NULL
);
GRANT SELECT, INSERT, UPDATE, DELETE ON auth_throttle TO jobforge_app;

ALTER TABLE sessions ENABLE ROW LEVEL SECURITY;
ALTER TABLE sessions FORCE ROW LEVEL SECURITY;
CREATE POLICY sessions_tenant ON sessions TO jobforge_app
  USING (user_id = (SELECT app_current_user_id()))
  WITH CHECK (user_id = (SELECT app_current_user_id()));
CREATE POLICY sessions_admin ON sessions TO jobforge_admin USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE, DELETE ON sessions TO jobforge_app, jobforge_admin;

ALTER TABLE refresh_tokens ENABLE ROW LEVEL SECURITY;
ALTER TABLE refresh_tokens FORCE ROW LEVEL SECURITY;
CREATE POLICY refresh_tokens_tenant ON refresh_tokens TO jobforge_app
  USING (user_id = (SELECT app_current_user_id()))
  WITH CHECK (user_id = (SELECT app_current_user_id()));
CREATE POLICY refresh_tokens_admin ON refresh_tokens TO jobforge_admin USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE, DELETE ON refresh_tokens TO jobforge_app, jobforge_admin;

-- A user's own drafting provider (issue 3): overrides the server's JOBFORGE_LLM_* settings when
-- provider is set. The API key is sealed by the application (AES-256-GCM, key derived from the
-- server secret, the user's id as authenticated data) and never leaves the server again.

CREATE TABLE user_ai_settings (
  user_id uuid PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
  -- NULL: use the server's provider.
  provider text,
  model text,
  base_url text,
  api_key_encrypted text,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  CONSTRAINT user_ai_settings_provider
    CHECK (provider IN ('offline', 'anthropic', 'openai', 'openai-compatible')),
  CONSTRAINT user_ai_settings_model CHECK (char_length(model) BETWEEN 1 AND 200),
  CONSTRAINT user_ai_settings_base_url CHECK (char_length(base_url) BETWEEN 1 AND 2000),
  CONSTRAINT user_ai_settings_key CHECK (char_length(api_key_encrypted) <= 4000)
);
CREATE TRIGGER user_ai_settings_updated_at BEFORE UPDATE ON user_ai_settings
  FOR EACH ROW EXECUTE FUNCTION set_updated_at();

ALTER TABLE user_ai_settings ENABLE ROW LEVEL SECURITY;
ALTER TABLE user_ai_settings FORCE ROW LEVEL SECURITY;
CREATE POLICY user_ai_settings_tenant ON user_ai_settings TO jobforge_app
  USING (user_id = (SELECT app_current_user_id()))
  WITH CHECK (user_id = (SELECT app_current_user_id()));
CREATE POLICY user_ai_settings_admin ON user_ai_settings TO jobforge_admin
  USING (true) WITH CHECK (true);
GRANT SELECT, INSERT, UPDATE, DELETE ON user_ai_settings TO jobforge_app, jobforge_admin;

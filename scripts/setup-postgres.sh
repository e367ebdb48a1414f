#!/usr/bin/env bash
# Prepares a local PostgreSQL server for Job Forge's tests and benchmarks (and shows an operator
# the roles a production install needs): an owner role that runs migrations and owns the
# tables, and a runtime login role that can only become jobforge_app (NOINHERIT), so no
# statement of the app can act as the owner.
# Usage (as root on Debian): scripts/setup-postgres.sh   — idempotent.
set -euo pipefail
cluster_version=${PG_CLUSTER_VERSION:-15}
if command -v pg_ctlcluster >/dev/null && ! pg_lsclusters -h | awk '{print $4}' | grep -q online; then
  pg_ctlcluster "$cluster_version" main start
fi
psql_as_postgres() { su postgres -c "psql -v ON_ERROR_STOP=1 -q -X $*"; }
psql_as_postgres <<'SQL'
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jobforge_app') THEN
    CREATE ROLE jobforge_app NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jobforge_admin') THEN
    CREATE ROLE jobforge_admin NOLOGIN;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jobforge_owner') THEN
    CREATE ROLE jobforge_owner LOGIN CREATEDB CREATEROLE PASSWORD 'jobforge';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'jobforge_runtime') THEN
    CREATE ROLE jobforge_runtime LOGIN NOINHERIT PASSWORD 'jobforge';
  END IF;
END
$$;
GRANT jobforge_app, jobforge_admin TO jobforge_owner WITH ADMIN OPTION;
GRANT jobforge_app TO jobforge_runtime;
SQL
if ! su postgres -c "psql -tAX -c \"SELECT 1 FROM pg_database WHERE datname = 'jobforge'\"" | grep -q 1; then
  su postgres -c "createdb -O jobforge_owner jobforge"
fi
echo "PostgreSQL ready: owner postgres://jobforge_owner:jobforge@127.0.0.1:5432/jobforge, runtime postgres://jobforge_runtime:jobforge@127.0.0.1:5432/jobforge"

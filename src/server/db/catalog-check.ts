import type { Database } from './database.ts';
import { ADMIN_ROLE, APP_ROLE } from './database.ts';

export class UnsafeDatabaseError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `Refusing to serve: row-level security would not protect users' data:\n${problems
        .map((p) => `  - ${p}`)
        .join('\n')}`,
    );
    this.name = 'UnsafeDatabaseError';
  }
}

/**
 * Reads the catalog and lists every way the second wall could be down: a tenant table (any
 * table with a user_id column, and users itself) without ENABLE + FORCE row-level security or
 * without a policy, or a runtime role that is superuser, has BYPASSRLS, owns a table or can
 * become the operator role.
 */
export async function catalogProblems(db: Database): Promise<string[]> {
  return db.asOwner(async (tx) => {
    const problems: string[] = [];
    const tables = await tx.query<{
      name: string;
      rls: boolean;
      force: boolean;
      policies: number;
    }>(
      `SELECT c.relname AS name, c.relrowsecurity AS rls, c.relforcerowsecurity AS force,
              (SELECT count(*)::int FROM pg_policies p
                WHERE p.schemaname = n.nspname AND p.tablename = c.relname
                  AND $1 = ANY (p.roles)) AS policies
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')
          AND (c.relname = 'users' OR EXISTS (
                SELECT 1 FROM pg_attribute a
                 WHERE a.attrelid = c.oid AND a.attname = 'user_id' AND NOT a.attisdropped))
        ORDER BY c.relname`,
      [APP_ROLE],
    );
    if (tables.rows.length === 0) problems.push('no tenant tables found: run the migrations');
    for (const t of tables.rows) {
      if (!t.rls) problems.push(`table ${t.name} does not have row-level security enabled`);
      if (!t.force) problems.push(`table ${t.name} does not force row-level security`);
      if (t.policies === 0) problems.push(`table ${t.name} has no policy for ${APP_ROLE}`);
    }
    const role = await tx.query<{
      rolsuper: boolean;
      rolbypassrls: boolean;
      owns: string | null;
      admin: boolean;
    }>(
      `SELECT r.rolsuper, r.rolbypassrls,
              (SELECT string_agg(c.relname, ', ' ORDER BY c.relname)
                 FROM pg_class c WHERE c.relowner = r.oid) AS owns,
              pg_has_role(r.oid, $2, 'MEMBER') AS admin
         FROM pg_roles r WHERE r.rolname = $1`,
      [APP_ROLE, ADMIN_ROLE],
    );
    const r = role.rows[0];
    if (!r) problems.push(`role ${APP_ROLE} does not exist`);
    else {
      if (r.rolsuper) problems.push(`role ${APP_ROLE} is a superuser`);
      if (r.rolbypassrls) problems.push(`role ${APP_ROLE} has BYPASSRLS`);
      if (r.owns) problems.push(`role ${APP_ROLE} owns relation(s) ${r.owns}`);
      if (r.admin) problems.push(`role ${APP_ROLE} is a member of ${ADMIN_ROLE}`);
    }
    const supers = await tx.query<{ rolname: string }>(
      `SELECT r.rolname FROM pg_roles r
        WHERE (r.rolsuper OR r.rolbypassrls) AND pg_has_role($1, r.oid, 'MEMBER')`,
      [APP_ROLE],
    );
    for (const s of supers.rows) {
      problems.push(`role ${APP_ROLE} can act as ${s.rolname}, which bypasses row-level security`);
    }
    return problems;
  });
}

export async function assertCatalogSafe(db: Database): Promise<void> {
  const problems = await catalogProblems(db);
  if (problems.length > 0) throw new UnsafeDatabaseError(problems);
}

/**
 * Warnings about the login role behind DATABASE_URL. Requests still run as jobforge_app (SET
 * LOCAL ROLE), but a login role that is superuser or owns the tables could climb back with
 * RESET ROLE if SQL were ever injected. PGlite always logs in as superuser, so only the server
 * is checked.
 */
export async function loginRoleWarnings(db: Database): Promise<string[]> {
  if (db.kind !== 'postgres') return [];
  const { rows } = await db.withUser(null, (tx) =>
    tx.query<{ name: string; rolsuper: boolean; rolbypassrls: boolean; owns: number }>(
      `SELECT r.rolname AS name, r.rolsuper, r.rolbypassrls,
              (SELECT count(*)::int FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                WHERE n.nspname = 'public' AND c.relowner = r.oid) AS owns
         FROM pg_roles r WHERE r.rolname = session_user`,
    ),
  );
  const r = rows[0];
  if (!r) return [];
  const warnings: string[] = [];
  if (r.rolsuper || r.rolbypassrls) {
    warnings.push(`DATABASE_URL logs in as ${r.name}, which can bypass row-level security`);
  }
  if (r.owns > 0) warnings.push(`DATABASE_URL logs in as ${r.name}, which owns the tables`);
  return warnings.map(
    (w) => `${w}; use a login role that can only become ${APP_ROLE} (docs/operations.md)`,
  );
}

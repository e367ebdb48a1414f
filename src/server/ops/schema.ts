import type { Database } from '../db/database.ts';
import { readMigrations, schemaVersion } from '../db/migrate.ts';
import { OperatorError } from './errors.ts';

/** The newest migration this build of Job Forge ships: the schema it expects. */
export async function codeSchemaVersion(): Promise<number> {
  const migrations = await readMigrations();
  return migrations.at(-1)?.version ?? 0;
}

/**
 * Operator commands read and write the tables as this build knows them; a database behind or
 * ahead of the code is refused rather than half-understood.
 */
export async function assertCurrentSchema(db: Database): Promise<void> {
  const expected = await codeSchemaVersion();
  const found = await schemaVersion(db);
  if (found === expected) return;
  if (found === 0) {
    throw new OperatorError(
      'schema_missing',
      'The database has no Job Forge tables yet: run `jobforge migrate` (or start the server once) first.',
    );
  }
  throw new OperatorError(
    'schema_mismatch',
    found < expected
      ? `The database is at schema version ${found}; this Job Forge expects ${expected}. Run \`jobforge migrate\` first.`
      : `The database is at schema version ${found}, newer than this Job Forge (${expected}). Use the newer Job Forge that migrated it.`,
  );
}

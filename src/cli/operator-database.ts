import { loadConfig, type Config } from '../server/config.ts';
import { DataDirLockedError } from '../server/db/data-dir-lock.ts';
import type { Database } from '../server/db/database.ts';
import { openDatabase } from '../server/db/index.ts';

const STOP_THE_SERVER = 'stop the server first, run this command, then start the server again.';

/**
 * Opens the configured database for one operator command and closes it afterwards. The embedded
 * database has one opener at a time, so a running server has to stop first: the error says so
 * (or, for commands that can also talk to the server, `lockedHint` says how).
 */
export async function withOperatorDatabase<T>(
  fn: (db: Database, config: Config) => Promise<T>,
  opts: { lockedHint?: string } = {},
): Promise<T> {
  const config = loadConfig();
  let db: Database;
  try {
    db = await openDatabase(config.database);
  } catch (err) {
    if (err instanceof DataDirLockedError) {
      throw new Error(
        `The data directory ${err.dir} is in use by another Job Forge process (pid ${err.pid}), ` +
          'most likely the server. The embedded database has one user at a time: ' +
          (opts.lockedHint ?? STOP_THE_SERVER),
        { cause: err },
      );
    }
    throw err;
  }
  try {
    return await fn(db, config);
  } finally {
    await db.close();
  }
}

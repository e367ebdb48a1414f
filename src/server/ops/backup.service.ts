import { createReadStream, createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { z } from 'zod';
import type { Database, Tx } from '../db/database.ts';
import { migrate, schemaVersionIn } from '../db/migrate.ts';
import * as repo from './backup.repository.ts';
import type { BackupTable } from './backup.repository.ts';
import { OperatorError } from './errors.ts';

/**
 * Job Forge's own backup format, the same for PGlite and a PostgreSQL server (so a backup moves
 * a laptop install to a server and back): gzip'd JSON Lines.
 *   line 1     {"format":"jobforge-backup","version":1,"schema_version":N,"created_at":…,"database":…,"tables":[…]}
 *   then       {"table":"users","row":{…}}   one per row, tables in foreign-key order, rows in key order
 *   last line  {"end":true,"rows":{"users":3,…}}   (a file without it was cut short)
 * Rows are to_jsonb() of the table row without generated columns; timestamps are written in UTC.
 */
export const BACKUP_FORMAT = 'jobforge-backup';
export const BACKUP_FORMAT_VERSION = 1;

const header = z.object({
  format: z.literal(BACKUP_FORMAT),
  version: z.number().int(),
  schema_version: z.number().int(),
  created_at: z.string(),
  database: z.enum(['pglite', 'postgres']),
  tables: z.array(z.string()),
});
export type BackupHeader = z.infer<typeof header>;

const rowLine = z.object({ table: z.string(), row: z.record(z.string(), z.unknown()) });
const endLine = z.object({ end: z.literal(true), rows: z.record(z.string(), z.number().int()) });

export interface BackupSummary {
  schemaVersion: number;
  tables: { name: string; rows: number }[];
}

export interface BackupOptions {
  /** Rows read per query while backing up, and rows per INSERT while restoring. */
  pageSize?: number;
}

const DEFAULT_PAGE_SIZE = 500;
/** A restore batch is also cut at this many characters of JSON (long documents, embeddings). */
const MAX_BATCH_CHARS = 8 * 1024 * 1024;

/**
 * Writes every user's data to `file`, from one consistent snapshot. The file appears only when
 * complete (written beside it, then renamed) and is readable by its owner only: it holds
 * password hashes and every user's documents.
 */
export async function backupDatabase(
  db: Database,
  file: string,
  opts: BackupOptions = {},
): Promise<BackupSummary> {
  const pageSize = opts.pageSize ?? DEFAULT_PAGE_SIZE;
  const partial = `${file}.${process.pid}.partial`;
  try {
    const summary = await db.asOwner(async (tx) => {
      await tx.exec(
        "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY; SET LOCAL TimeZone = 'UTC'",
      );
      const schemaVersion = await schemaVersionIn(tx);
      if (schemaVersion === 0) {
        throw new OperatorError(
          'schema_missing',
          'The database has no Job Forge tables: there is nothing to back up.',
        );
      }
      const tables = await repo.backupTables(tx);
      const counts: BackupSummary['tables'] = [];
      const head: BackupHeader = {
        format: BACKUP_FORMAT,
        version: BACKUP_FORMAT_VERSION,
        schema_version: schemaVersion,
        created_at: new Date().toISOString(),
        database: db.kind,
        tables: tables.map((t) => t.name),
      };
      await pipeline(
        backupLines(tx, head, tables, pageSize, counts),
        createGzip(),
        createWriteStream(partial, { flags: 'wx', mode: 0o600 }),
      );
      return { schemaVersion, tables: counts };
    });
    await fs.rename(partial, file);
    return summary;
  } catch (err) {
    await fs.rm(partial, { force: true });
    throw err;
  }
}

async function* backupLines(
  tx: Tx,
  head: BackupHeader,
  tables: BackupTable[],
  pageSize: number,
  counts: BackupSummary['tables'],
): AsyncGenerator<string> {
  yield `${JSON.stringify(head)}\n`;
  for (const table of tables) {
    const prefix = `{"table":${JSON.stringify(table.name)},"row":`;
    let after: string | null = null;
    let rows = 0;
    for (;;) {
      const page = await repo.readPage(tx, table, after, pageSize);
      if (page.length === 0) break;
      yield page.map((p) => `${prefix}${p.row}}\n`).join('');
      rows += page.length;
      after = page[page.length - 1]!.key;
      if (page.length < pageSize) break;
    }
    counts.push({ name: table.name, rows });
  }
  yield `${JSON.stringify({ end: true, rows: Object.fromEntries(counts.map((c) => [c.name, c.rows])) })}\n`;
}

/**
 * `jobforge restore`: refuses a database that holds user data before changing anything (an older
 * database is not upgraded first and then refused), then applies the migrations and restores.
 * restoreDatabase() checks emptiness again, under its lock, in the restoring transaction.
 */
export async function migrateAndRestore(
  db: Database,
  file: string,
  opts: BackupOptions & { migrationsDir?: string } = {},
): Promise<BackupSummary & { header: BackupHeader }> {
  // The backed-up tables that exist, whatever the schema version (none in a new database).
  const occupied = await db.asOwner(async (tx) =>
    repo.nonEmptyTables(tx, await repo.backupTables(tx)),
  );
  if (occupied.length > 0) throw targetNotEmpty(occupied);
  await migrate(db, opts.migrationsDir);
  return restoreDatabase(db, file, opts);
}

const targetNotEmpty = (occupied: string[]) =>
  new OperatorError(
    'restore_target_not_empty',
    `Refusing to restore into a database that already holds data (in ${occupied.join(', ')}). Restore into a new, empty database.`,
  );

/**
 * Loads a backup into this database in one transaction: all of it or nothing. The database must
 * be migrated to the backup's schema version and hold no user data (a restore never merges).
 */
export async function restoreDatabase(
  db: Database,
  file: string,
  opts: BackupOptions = {},
): Promise<BackupSummary & { header: BackupHeader }> {
  const lines = readLines(file);
  try {
    const first = await lines.next();
    const head = parseHeader(file, first.done ? undefined : first.value);
    return await db.asOwner((tx) =>
      restoreInto(tx, file, head, lines, opts.pageSize ?? DEFAULT_PAGE_SIZE),
    );
  } finally {
    await lines.return(undefined);
  }
}

async function restoreInto(
  tx: Tx,
  file: string,
  head: BackupHeader,
  lines: AsyncGenerator<string, void, undefined>,
  batchRows: number,
): Promise<BackupSummary & { header: BackupHeader }> {
  const { schemaVersion, tables } = await prepareTarget(tx, head);
  const byName = new Map(tables.map((t) => [t.name, t]));
  const counts = new Map<string, number>(head.tables.map((name) => [name, 0]));
  let current: BackupTable | undefined;
  let batch: string[] = [];
  let batchChars = 0;
  const flush = async () => {
    if (!current || batch.length === 0) return;
    const table = current.name;
    const inserted = await repo
      .insertRows(tx, current, `[${batch.join(',')}]`)
      .catch((err: unknown) => {
        throw new OperatorError(
          'restore_failed',
          `Could not restore ${table}: ${(err as Error).message}. Nothing was restored.`,
        );
      });
    counts.set(current.name, counts.get(current.name)! + inserted);
    batch = [];
    batchChars = 0;
  };

  let end: z.infer<typeof endLine> | undefined;
  let lineNo = 1;
  for (let next = await lines.next(); !next.done; next = await lines.next()) {
    lineNo += 1;
    if (end) throw malformed(file, lineNo, 'data after the end marker');
    const value = parseJson(file, lineNo, next.value);
    const asEnd = endLine.safeParse(value);
    if (asEnd.success) {
      end = asEnd.data;
      continue;
    }
    const parsed = rowLine.safeParse(value);
    if (!parsed.success) throw malformed(file, lineNo, 'expected {"table", "row"}');
    const { table, row } = parsed.data;
    if (table !== current?.name) {
      // Tables arrive whole and in the header's (foreign-key) order.
      const from = current ? head.tables.indexOf(current.name) : -1;
      if (head.tables.indexOf(table) <= from) {
        throw malformed(file, lineNo, `rows of ${table} out of order`);
      }
      await flush();
      current = byName.get(table)!;
    }
    const json = JSON.stringify(convertForTarget(current, row));
    batch.push(json);
    batchChars += json.length;
    if (batch.length >= batchRows || batchChars >= MAX_BATCH_CHARS) await flush();
  }
  await flush();
  for (const t of tables) await repo.advanceSequences(tx, t);

  if (!end) {
    throw new OperatorError(
      'backup_truncated',
      `${file} ends before its end marker: the backup is incomplete (cut short while being written or copied). Nothing was restored.`,
    );
  }
  for (const name of head.tables) {
    if ((end.rows[name] ?? 0) !== counts.get(name)) {
      throw new OperatorError(
        'backup_count_mismatch',
        `${file} says ${name} has ${end.rows[name] ?? 0} rows but ${counts.get(name)} were read. Nothing was restored.`,
      );
    }
  }
  return {
    header: head,
    schemaVersion,
    tables: head.tables.map((name) => ({ name, rows: counts.get(name)! })),
  };
}

/** Checks that the backup fits this database and that the database is empty, then locks it. */
async function prepareTarget(
  tx: Tx,
  head: BackupHeader,
): Promise<{ schemaVersion: number; tables: BackupTable[] }> {
  const schemaVersion = await schemaVersionIn(tx);
  if (head.schema_version !== schemaVersion) {
    throw new OperatorError(
      'backup_schema_mismatch',
      head.schema_version > schemaVersion
        ? `The backup was made with schema version ${head.schema_version}, newer than this Job Forge's ${schemaVersion}: restore it with that Job Forge version or a newer one.`
        : `The backup was made with schema version ${head.schema_version}, older than this Job Forge's ${schemaVersion}. Restoring an older backup is not supported yet: restore it with the Job Forge version that made it, let the newer version migrate that database, then back up again.`,
    );
  }
  const tables = await repo.backupTables(tx);
  const byName = new Map(tables.map((t) => [t.name, t]));
  if (
    head.tables.length !== tables.length ||
    head.tables.some((name) => !byName.has(name)) ||
    !isDependencyOrder(head.tables, byName)
  ) {
    throw new OperatorError(
      'backup_tables_mismatch',
      `The backup's tables (${head.tables.join(', ')}) do not match this database's (${tables.map((t) => t.name).join(', ')}).`,
    );
  }
  await repo.lockForRestore(tx, tables);
  const occupied = await repo.nonEmptyTables(tx, tables);
  if (occupied.length > 0) throw targetNotEmpty(occupied);
  return { schemaVersion, tables };
}

function isDependencyOrder(order: string[], byName: Map<string, BackupTable>): boolean {
  return order.every((name, i) =>
    byName.get(name)!.references.every((ref) => order.indexOf(ref) < i),
  );
}

/**
 * Embeddings are pgvector's `vector` where the server has pgvector (PGlite does) and `real[]`
 * where it does not. to_jsonb() writes the first as the text "[1,2,3]" and the second as the JSON
 * array [1,2,3]; both are lists of float4, so each is rewritten to the form the target reads.
 */
function convertForTarget(
  table: BackupTable,
  row: Record<string, unknown>,
): Record<string, unknown> {
  for (const [column, type] of Object.entries(table.types)) {
    const value = row[column];
    if (value === null || value === undefined) continue;
    if (/^vector(\(\d+\))?$/.test(type) && Array.isArray(value)) {
      row[column] = JSON.stringify(value);
    } else if (type === 'real[]' && typeof value === 'string') {
      row[column] = parseVectorText(table.name, column, value);
    }
  }
  return row;
}

function parseVectorText(table: string, column: string, text: string): number[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || !parsed.every((x) => typeof x === 'number')) {
    throw new OperatorError(
      'backup_malformed',
      `${table}.${column} holds ${text.slice(0, 40)}…, which is not a vector.`,
    );
  }
  return parsed;
}

function parseHeader(file: string, line: string | undefined): BackupHeader {
  const notOurs = new OperatorError(
    'backup_malformed',
    `${file} is not a Job Forge backup (its first line is not a jobforge-backup header).`,
  );
  if (line === undefined) throw notOurs;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    throw notOurs;
  }
  const parsed = header.safeParse(value);
  if (!parsed.success) throw notOurs;
  if (parsed.data.version !== BACKUP_FORMAT_VERSION) {
    throw new OperatorError(
      'backup_format_version',
      `${file} is in backup format version ${parsed.data.version}; this Job Forge reads version ${BACKUP_FORMAT_VERSION}.`,
    );
  }
  return parsed.data;
}

function parseJson(file: string, lineNo: number, line: string): unknown {
  try {
    return JSON.parse(line);
  } catch {
    throw malformed(file, lineNo, 'not JSON');
  }
}

const malformed = (file: string, lineNo: number, what: string) =>
  new OperatorError('backup_malformed', `${file}, line ${lineNo}: ${what}. Nothing was restored.`);

/** The file's lines, decompressed as they are read; a damaged gzip stream is a clear error. */
async function* readLines(file: string): AsyncGenerator<string, void, undefined> {
  const source = createReadStream(file);
  const gunzip = createGunzip();
  source.on('error', (err) => gunzip.destroy(err));
  source.pipe(gunzip).setEncoding('utf8');
  let rest = '';
  try {
    for await (const chunk of gunzip as AsyncIterable<string>) {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop()!;
      for (const line of parts) if (line.length > 0) yield line;
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new OperatorError('backup_not_found', `${file} does not exist.`);
    if (code?.startsWith('Z_') || code === 'ERR_INVALID_ARG_TYPE') {
      throw new OperatorError(
        'backup_malformed',
        `${file} is not a readable gzip file (${(err as Error).message}): is it a Job Forge backup, complete and uncorrupted?`,
      );
    }
    throw err;
  } finally {
    source.destroy();
  }
  if (rest.length > 0) yield rest;
}

import type { Tx } from '../db/database.ts';
import { OperatorError } from './errors.ts';

/** Tables that hold no user data: the migration ledger and the login throttle counters. */
export const NOT_BACKED_UP = ['schema_migrations', 'auth_throttle'];

export interface BackupTable {
  name: string;
  /** Every column a restore writes (all but generated ones), in table order. */
  columns: string[];
  /** Generated columns: recomputed by the database, never written. */
  generated: string[];
  /** Column name → type as format_type() prints it (`vector`, `real[]`, …). */
  types: Record<string, string>;
  primaryKey: string[];
  /** Other tables this one references by foreign key. */
  references: string[];
  /** Sequences behind serial / identity columns, to advance after a restore. */
  sequences: { column: string; sequence: string }[];
}

/** A quoted identifier. Names come from the catalog, but are quoted all the same. */
export const ident = (name: string) => `"${name.replaceAll('"', '""')}"`;

/**
 * Every table of schema public that holds user data, read from the catalog (so a table added by
 * a later migration is backed up without touching this code), in foreign-key dependency order.
 */
export async function backupTables(tx: Tx): Promise<BackupTable[]> {
  const { rows: tables } = await tx.query<{ name: string }>(
    `SELECT c.relname AS name
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relispartition
        AND c.relname <> ALL ($1::text[])
        AND NOT EXISTS (SELECT 1 FROM pg_depend d
                         WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                           AND d.deptype = 'e')
      ORDER BY c.oid`,
    [NOT_BACKED_UP],
  );
  const names = tables.map((t) => t.name);
  const byName = new Map<string, BackupTable>(
    names.map((name) => [
      name,
      {
        name,
        columns: [],
        generated: [],
        types: {},
        primaryKey: [],
        references: [],
        sequences: [],
      },
    ]),
  );

  const { rows: columns } = await tx.query<{
    table: string;
    name: string;
    type: string;
    generated: boolean;
    sequence: string | null;
  }>(
    `SELECT c.relname AS table, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type,
            a.attgenerated <> '' AS generated,
            pg_get_serial_sequence(format('%I.%I', n.nspname, c.relname), a.attname) AS sequence
       FROM pg_attribute a
       JOIN pg_class c ON c.oid = a.attrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = 'public' AND c.relname = ANY ($1::text[])
        AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY c.relname, a.attnum`,
    [names],
  );
  for (const c of columns) {
    const t = byName.get(c.table)!;
    t.types[c.name] = c.type;
    if (c.generated) t.generated.push(c.name);
    else t.columns.push(c.name);
    if (c.sequence) t.sequences.push({ column: c.name, sequence: c.sequence });
  }

  const { rows: constraints } = await tx.query<{
    table: string;
    type: 'p' | 'f';
    columns: string[];
    target: string | null;
    target_schema: string | null;
  }>(
    `SELECT c.relname AS table, con.contype AS type,
            ARRAY(SELECT a.attname::text
                    FROM unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
                    JOIN pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum
                   ORDER BY k.ord) AS columns,
            r.relname AS target, rn.nspname AS target_schema
       FROM pg_constraint con
       JOIN pg_class c ON c.oid = con.conrelid
       JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_class r ON r.oid = con.confrelid
       LEFT JOIN pg_namespace rn ON rn.oid = r.relnamespace
      WHERE n.nspname = 'public' AND c.relname = ANY ($1::text[]) AND con.contype IN ('p', 'f')
      ORDER BY c.relname, con.conname`,
    [names],
  );
  for (const con of constraints) {
    const t = byName.get(con.table)!;
    if (con.type === 'p') {
      t.primaryKey = con.columns;
      continue;
    }
    if (con.target_schema !== 'public' || !con.target || !byName.has(con.target)) {
      throw new OperatorError(
        'backup_unsupported_schema',
        `Table ${t.name} references ${con.target_schema ?? '?'}.${con.target ?? '?'}, which backups do not include.`,
      );
    }
    if (!t.references.includes(con.target)) t.references.push(con.target);
  }
  for (const t of byName.values()) {
    if (t.primaryKey.length === 0) {
      throw new OperatorError(
        'backup_unsupported_schema',
        `Table ${t.name} has no primary key: backups page through every table by its primary key.`,
      );
    }
  }
  const ordered = dependencyOrder([...byName.values()]);
  return ordered.map((name) => byName.get(name)!);
}

/**
 * Orders tables so that every table comes after the tables it references (Kahn's algorithm;
 * ties keep the given order, i.e. creation order). A cycle, a self-reference included, cannot
 * be restored row by row with plain foreign keys, so it is an error that names the tables.
 */
export function dependencyOrder(tables: { name: string; references: string[] }[]): string[] {
  const pending = new Map(tables.map((t) => [t.name, new Set(t.references)]));
  const order: string[] = [];
  while (pending.size > 0) {
    const next = [...pending].find(([, refs]) => [...refs].every((r) => !pending.has(r)));
    if (!next) {
      const cycle = cycleMembers(pending);
      throw new OperatorError(
        'backup_foreign_key_cycle',
        `The foreign keys between ${cycle.join(', ')} form a cycle: backup and restore need an order in which every referenced row comes first.`,
      );
    }
    order.push(next[0]);
    pending.delete(next[0]);
  }
  return order;
}

/** What is left of a graph with no ready node, less the tables that merely depend on a cycle. */
function cycleMembers(graph: Map<string, Set<string>>): string[] {
  const left = new Map(graph);
  for (;;) {
    const referenced = new Set([...left.values()].flatMap((refs) => [...refs]));
    const dependentsOnly = [...left.keys()].filter((name) => !referenced.has(name));
    if (dependentsOnly.length === 0) return [...left.keys()];
    for (const name of dependentsOnly) left.delete(name);
  }
}

export interface PageRow {
  /** The row as JSON text, generated columns left out. */
  row: string;
  /** The primary key as JSON text: where the next page starts. */
  key: string;
}

/**
 * One page of a table in primary-key order, starting after `after` (keyset pagination: every
 * page is an index range scan, however deep into the table).
 */
export async function readPage(
  tx: Tx,
  table: BackupTable,
  after: string | null,
  limit: number,
): Promise<PageRow[]> {
  const t = ident(table.name);
  const pk = table.primaryKey.map((c) => `t.${ident(c)}`).join(', ');
  const keyJson = table.primaryKey.map((c) => `'${c.replaceAll("'", "''")}', t.${ident(c)}`);
  const where =
    after === null
      ? ''
      : `WHERE (${pk}) > (SELECT ${table.primaryKey.map((c) => `k.${ident(c)}`).join(', ')}
                           FROM jsonb_populate_record(null::${t}, $3::jsonb) k)`;
  const { rows } = await tx.query<PageRow>(
    `SELECT (to_jsonb(t) - $1::text[])::text AS row, jsonb_build_object(${keyJson.join(', ')})::text AS key
       FROM ${t} t ${where}
      ORDER BY ${pk}
      LIMIT $2`,
    after === null ? [table.generated, limit] : [table.generated, limit, after],
  );
  return rows;
}

/** Tables (of those given) that hold at least one row. */
export async function nonEmptyTables(tx: Tx, tables: BackupTable[]): Promise<string[]> {
  const found: string[] = [];
  for (const t of tables) {
    const { rows } = await tx.query<{ any: boolean }>(
      `SELECT EXISTS (SELECT 1 FROM ${ident(t.name)}) AS any`,
    );
    if (rows[0]?.any) found.push(t.name);
  }
  return found;
}

/** Blocks every writer (readers go on) until the transaction ends. */
export async function lockForRestore(tx: Tx, tables: BackupTable[]): Promise<void> {
  await tx.exec(`LOCK TABLE ${tables.map((t) => ident(t.name)).join(', ')} IN EXCLUSIVE MODE`);
}

/** Inserts rows given as JSON objects, column values in their to_jsonb() form. */
export async function insertRows(tx: Tx, table: BackupTable, rowsJson: string): Promise<number> {
  const cols = table.columns.map(ident).join(', ');
  const t = ident(table.name);
  const r = await tx.query(
    `INSERT INTO ${t} (${cols}) OVERRIDING SYSTEM VALUE
     SELECT ${cols} FROM jsonb_populate_recordset(null::${t}, $1::jsonb)`,
    [rowsJson],
  );
  return r.rowCount;
}

/** Moves serial / identity sequences past the restored rows. */
export async function advanceSequences(tx: Tx, table: BackupTable): Promise<void> {
  for (const s of table.sequences) {
    await tx.query(
      `SELECT setval($1::regclass, m) FROM (SELECT max(${ident(s.column)})::bigint AS m FROM ${ident(table.name)}) x
        WHERE m IS NOT NULL`,
      [s.sequence],
    );
  }
}

import fs from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { documentType } from '../contracts/documents.ts';
import { exportFormat } from '../contracts/exports.ts';
import type { Tenant } from '../server/auth/tenant.ts';
import type { Database } from '../server/db/database.ts';
import { ExportsService } from '../server/exports/exports.service.ts';
import { findApplication } from '../server/ops/operators.repository.ts';
import { assertCurrentSchema } from '../server/ops/schema.ts';
import { withOperatorDatabase } from './operator-database.ts';

/**
 * The operator works on the data directory directly, with no session: the export still runs as
 * the application's owner (row-level security applies), only the session check is skipped.
 */
const ownerTenant =
  (db: Database): Tenant =>
  (auth, fn) =>
    db.withUser(auth.userId, fn);

export function registerExportCommands(program: Command): void {
  program
    .command('export')
    .argument('<application>', 'the application id or its name (company_role_YYYY_MM_DD)')
    .option(
      '--type <type>',
      `one document: ${documentType.options.join(', ')} (default: the packet)`,
    )
    .option('--format <format>', `with --type: ${exportFormat.options.join(', ')}`, 'pdf')
    .option('--out <dir>', 'where to write the file', '.')
    .description(
      "write an application's packet (.zip: posting, documents in PDF/DOCX/Markdown, manifest) or one document to a file, from the local database (stop the server first on PGlite)",
    )
    .action((application: string, opts: { type?: string; format: string; out: string }) =>
      withOperatorDatabase(async (db) => {
        await assertCurrentSchema(db);
        const type = opts.type === undefined ? undefined : parse(documentType, opts.type, 'type');
        const format = parse(exportFormat, opts.format, 'format');
        const found = await db.asOwner((tx) => findApplication(tx, application));
        if (found.length === 0)
          throw new Error(`No application is named or numbered ${application}.`);
        if (found.length > 1)
          throw new Error(
            `${found.length} applications are named ${application}; give one id: ${found.map((a) => a.id).join(', ')}`,
          );
        const app = found[0]!;
        const service = new ExportsService(ownerTenant(db));
        const auth = { userId: app.user_id, sessionId: '' };
        const file = type
          ? await service.document(auth, app.id, type, format)
          : await service.packet(auth, app.id);
        const target = path.resolve(opts.out, file.filename);
        await fs.mkdir(path.dirname(target), { recursive: true });
        await fs.writeFile(target, file.body);
        console.log(`Wrote ${target} (${file.body.length} bytes).`);
      }),
    );
}

function parse<T extends string>(
  schema: { options: readonly T[] },
  value: string,
  what: string,
): T {
  if ((schema.options as readonly string[]).includes(value)) return value as T;
  throw new Error(`Unknown ${what} "${value}": use one of ${schema.options.join(', ')}.`);
}

import path from 'node:path';
import type { Command } from 'commander';
import { documentType } from '../contracts/documents.ts';
import { exportFormat } from '../contracts/exports.ts';
import { matchApplication } from './application-match.ts';
import {
  addTargetOptions,
  report,
  withWorkspace,
  writeOutput,
  type TargetOptions,
} from './target.ts';

interface ExportOptions extends TargetOptions {
  type?: string;
  format?: string;
  out: string;
}

export function registerExportCommands(program: Command): void {
  addTargetOptions(
    program
      .command('export')
      .argument('<application>', 'the application: its id, or its company, role or both (any case)')
      .option(
        '--type <type>',
        `one document: ${documentType.options.join(', ')} (default: the packet)`,
      )
      .option('--format <format>', `with --type: ${exportFormat.options.join(', ')} (default pdf)`)
      .option('--out <dir>', 'the directory to write the file to, under its own name', '.')
      .option('--output <file>', 'the file to write instead ("-": stdout)'),
  )
    .description(
      "write an application's packet (.zip: posting, documents in PDF/DOCX/Markdown, manifest) or one document to a file, from a running server (--server) or the local database",
    )
    .action(async (application: string, opts: ExportOptions) => {
      const type = opts.type === undefined ? undefined : parse(documentType, opts.type, 'type');
      if (type === undefined && opts.format !== undefined) {
        throw new Error('--format is for one document: add --type <type> (the packet is a .zip).');
      }
      const format = parse(exportFormat, opts.format ?? 'pdf', 'format');
      await withWorkspace(
        opts,
        async (ws) => {
          const app = matchApplication(application, await ws.applications());
          const file = type
            ? await ws.exportDocument(app.id, type, format)
            : await ws.exportPacket(app.id);
          const written = await writeOutput(
            file.body,
            opts.output ?? path.join(opts.out, file.filename),
          );
          report(
            written
              ? `Wrote ${written} (${file.body.length} bytes).`
              : `Wrote ${file.filename} to stdout (${file.body.length} bytes).`,
            written === undefined,
          );
        },
        { ownerOf: application },
      );
    });
}

export function parse<T extends string>(
  schema: { options: readonly T[] },
  value: string,
  what: string,
): T {
  if ((schema.options as readonly string[]).includes(value)) return value as T;
  throw new Error(`Unknown ${what} "${value}": use one of ${schema.options.join(', ')}.`);
}

import type { Application, CreateApplication } from '../contracts/applications.ts';
import { createApplicationBody } from '../contracts/applications.ts';
import type { DocumentType } from '../contracts/documents.ts';
import type { ExportFormat } from '../contracts/exports.ts';
import {
  importJobBody,
  type ImportJob,
  type JobImport,
  type ResumeImport,
} from '../contracts/imports.ts';
import { createResumeBody, type CreateResume, type Resume } from '../contracts/resumes.ts';
import { ApplicationsService } from '../server/applications/applications.service.ts';
import type { AuthContext, Tenant } from '../server/auth/tenant.ts';
import type { Config } from '../server/config.ts';
import type { Database } from '../server/db/database.ts';
import { ComputePool } from '../server/compute/compute-pool.ts';
import { ExportsService } from '../server/exports/exports.service.ts';
import { ImportsService } from '../server/imports/imports.service.ts';
import { findApplication, findUser } from '../server/ops/operators.repository.ts';
import { assertCurrentSchema } from '../server/ops/schema.ts';
import { readResumeFile } from '../server/resume-import/resume-import.service.ts';
import { ResumesService } from '../server/resumes/resumes.service.ts';
import type { ApplicationSummary } from './application-match.ts';
import { withOperatorDatabase } from './operator-database.ts';
import type { CliFile, Workspace } from './workspace.ts';

/**
 * The CLI works on the data directory with no session: services run as the named user under
 * row-level security exactly as for a request; only the session check is skipped.
 */
const userTenant =
  (db: Database): Tenant =>
  (auth, fn) =>
    db.withUser(auth.userId, fn);

/** Input checked with the API's own contracts, so the CLI accepts what the API accepts. */
function validate<T>(
  schema: {
    safeParse(
      v: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } };
  },
  value: unknown,
): T {
  const r = schema.safeParse(value);
  if (r.success) return r.data;
  throw new Error(
    r.error.issues
      .map((i) => (i.path.length > 0 ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
      .join('; '),
  );
}

export class LocalWorkspace implements Workspace {
  private readonly auth: AuthContext;
  private readonly applicationsService: ApplicationsService;
  private readonly imports: ImportsService;
  private readonly exports: ExportsService;
  private readonly resumes: ResumesService;

  constructor(
    db: Database,
    config: Config,
    userId: string,
    readonly where: string,
    private readonly compute: ComputePool,
  ) {
    const tenant = userTenant(db);
    this.auth = { userId, sessionId: '' };
    this.applicationsService = new ApplicationsService(tenant);
    this.imports = new ImportsService(tenant, config.outbound, compute);
    this.exports = new ExportsService(tenant, compute);
    this.resumes = new ResumesService(tenant);
  }

  importJob(input: ImportJob): Promise<JobImport> {
    return this.imports.importJob(this.auth, validate(importJobBody, input));
  }

  confirmImport(snapshotId: string, input: CreateApplication): Promise<Application> {
    return this.imports.confirm(this.auth, snapshotId, validate(createApplicationBody, input));
  }

  async applications(): Promise<ApplicationSummary[]> {
    const all: ApplicationSummary[] = [];
    for (let offset = 0; ; offset += 100) {
      const page = await this.applicationsService.list(this.auth, {
        limit: 100,
        offset,
        sort: 'created_at',
        order: 'desc',
      });
      all.push(...page.items);
      if (page.items.length < 100) return all;
    }
  }

  exportDocument(
    applicationId: string,
    type: DocumentType,
    format: ExportFormat,
  ): Promise<CliFile> {
    return this.exports.document(this.auth, applicationId, type, format);
  }

  exportPacket(applicationId: string): Promise<CliFile> {
    return this.exports.packet(this.auth, applicationId);
  }

  importResume(filename: string, bytes: Buffer): Promise<ResumeImport> {
    return readResumeFile(this.compute, filename, bytes);
  }

  createResume(input: CreateResume): Promise<Resume> {
    return this.resumes.create(this.auth, validate(createResumeBody, input));
  }
}

/**
 * Opens the local data directory as one user for the length of `fn`. The user is `--user`, or the
 * only account; with several accounts, `ownerOf` (an application id or generated name, for
 * export) may name the owner instead, as `jobforge export` always allowed.
 */
export async function withLocalWorkspace<T>(
  user: string | undefined,
  fn: (ws: LocalWorkspace) => Promise<T>,
  opts: { ownerOf?: string } = {},
): Promise<T> {
  return withOperatorDatabase(
    async (db, config) => {
      await assertCurrentSchema(db);
      const userId = await db.asOwner(async (tx) => {
        if (user !== undefined) {
          const found = await findUser(tx, user);
          if (!found) throw new Error(`No account is ${user}.`);
          if (!found.is_active) throw new Error(`The account ${found.email} is disabled.`);
          return found.id;
        }
        const { rows } = await tx.query<{ id: string }>(
          'SELECT id FROM users ORDER BY created_at LIMIT 2',
        );
        if (rows.length === 1) return rows[0]!.id;
        if (rows.length === 0)
          throw new Error('There are no accounts yet: sign up in the app first.');
        if (opts.ownerOf !== undefined) {
          const apps = await findApplication(tx, opts.ownerOf);
          if (apps.length === 1) return apps[0]!.user_id;
        }
        throw new Error('This database has several accounts: name one with --user <email>.');
      });
      const where = config.database.kind === 'pglite' ? config.dataDir : 'the PostgreSQL database';
      // The same pool as the server's, for the length of the command.
      const compute = new ComputePool(config.compute);
      try {
        return await fn(new LocalWorkspace(db, config, userId, where, compute));
      } finally {
        await compute.close();
      }
    },
    {
      lockedHint:
        'stop it first, or run this command against it with --server <url> (or JOBFORGE_SERVER_URL).',
    },
  );
}

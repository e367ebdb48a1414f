import type { Application, CreateApplication } from '../contracts/applications.ts';
import type { DocumentType } from '../contracts/documents.ts';
import type { ExportFormat } from '../contracts/exports.ts';
import type { ImportJob, JobImport, ResumeImport } from '../contracts/imports.ts';
import type { CreateResume, Resume } from '../contracts/resumes.ts';
import type { ApplicationSummary } from './application-match.ts';

export interface CliFile {
  filename: string;
  body: Buffer;
}

/**
 * One user's workspace as the CLI sees it, whether it is a running server reached over its public
 * API (remote-workspace.ts) or the local data directory opened in-process (local-workspace.ts):
 * each command is written once against this.
 */
export interface Workspace {
  /** Where the work happens, for messages ("on http://…", "in ./data"). */
  readonly where: string;
  importJob(input: ImportJob): Promise<JobImport>;
  confirmImport(snapshotId: string, input: CreateApplication): Promise<Application>;
  applications(): Promise<ApplicationSummary[]>;
  exportDocument(applicationId: string, type: DocumentType, format: ExportFormat): Promise<CliFile>;
  exportPacket(applicationId: string): Promise<CliFile>;
  importResume(filename: string, bytes: Buffer): Promise<ResumeImport>;
  createResume(input: CreateResume): Promise<Resume>;
}

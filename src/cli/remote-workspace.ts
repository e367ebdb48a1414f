import type { Application, CreateApplication } from '../contracts/applications.ts';
import type { DocumentType } from '../contracts/documents.ts';
import type { ExportFormat } from '../contracts/exports.ts';
import type { ImportJob, JobImport, ResumeImport } from '../contracts/imports.ts';
import type { CreateResume, Resume } from '../contracts/resumes.ts';
import type { ApplicationSummary } from './application-match.ts';
import type { CliFile, Workspace } from './workspace.ts';

interface ErrorBody {
  error?: { code?: string; message?: string; fields?: Record<string, string> };
}

/** The server's own sentence, with the fields it names: what a person can act on. */
function describeFailure(status: number, text: string): string {
  let body: ErrorBody = {};
  try {
    body = JSON.parse(text) as ErrorBody;
  } catch {
    // Not Job Forge's error body (a proxy's page, say): fall back to the status.
  }
  const message = body.error?.message ?? `The server answered ${status}.`;
  const fields = Object.entries(body.error?.fields ?? {}).map(([k, v]) => `${k}: ${v}`);
  return fields.length > 0 ? `${message} (${fields.join('; ')})` : message;
}

/** A file name from Content-Disposition: attachment; filename="…" (the server sends ASCII). */
function attachmentName(header: string | null, fallback: string): string {
  const name = /filename="([^"]+)"/.exec(header ?? '')?.[1];
  return name && !name.includes('/') && !name.includes('\\') ? name : fallback;
}

/**
 * A running Job Forge server reached through its public API only, signed in as one user with an
 * API session (tokens in the body, no cookies). close() signs out, so a CLI run leaves no session
 * behind.
 */
export class RemoteWorkspace implements Workspace {
  private constructor(
    private readonly base: string,
    private readonly token: string,
    private readonly refreshToken: string | undefined,
  ) {}

  get where(): string {
    return this.base;
  }

  static async signIn(server: string, email: string, password: string): Promise<RemoteWorkspace> {
    let base: URL;
    try {
      base = new URL(server);
    } catch {
      throw new Error(`--server ${server} is not a web address (e.g. http://localhost:8000).`);
    }
    if (base.protocol !== 'http:' && base.protocol !== 'https:') {
      throw new Error(`--server ${server} must be an http:// or https:// address.`);
    }
    const root = base.href.replace(/(?<!\/)\/+$/, '');
    const res = await send(root, '/api/v1/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password, client: 'api' }),
    });
    const text = await res.text();
    if (!res.ok)
      throw new Error(`Signing in to ${root} failed: ${describeFailure(res.status, text)}`);
    const session = JSON.parse(text) as { access_token: string; refresh_token?: string };
    return new RemoteWorkspace(root, session.access_token, session.refresh_token);
  }

  /** Ends the session; a failure here does not undo what the command did, so it is ignored. */
  async close(): Promise<void> {
    await send(this.base, '/api/v1/auth/logout', {
      method: 'POST',
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: JSON.stringify(this.refreshToken ? { refresh_token: this.refreshToken } : {}),
    }).catch(() => undefined);
  }

  private async call(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${this.token}`);
    const res = await send(this.base, `/api/v1${path}`, { ...init, headers });
    if (!res.ok) throw new Error(describeFailure(res.status, await res.text()));
    return res;
  }

  private async json<T>(path: string, method = 'GET', body?: unknown): Promise<T> {
    const res = await this.call(path, {
      method,
      ...(body === undefined
        ? {}
        : { headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }),
    });
    return (await res.json()) as T;
  }

  private async file(path: string, fallback: string): Promise<CliFile> {
    const res = await this.call(path);
    return {
      filename: attachmentName(res.headers.get('content-disposition'), fallback),
      body: Buffer.from(await res.arrayBuffer()),
    };
  }

  importJob(input: ImportJob): Promise<JobImport> {
    return this.json('/applications/import', 'POST', input);
  }

  confirmImport(snapshotId: string, input: CreateApplication): Promise<Application> {
    return this.json(
      `/applications/import/${encodeURIComponent(snapshotId)}/confirm`,
      'POST',
      input,
    );
  }

  async applications(): Promise<ApplicationSummary[]> {
    const all: ApplicationSummary[] = [];
    for (let offset = 0; ; offset += 100) {
      const page = await this.json<{ items: Application[]; total: number }>(
        `/applications?limit=100&offset=${offset}&sort=created_at&order=desc`,
      );
      all.push(...page.items);
      if (page.items.length < 100 || all.length >= page.total) return all;
    }
  }

  exportDocument(
    applicationId: string,
    type: DocumentType,
    format: ExportFormat,
  ): Promise<CliFile> {
    return this.file(
      `/applications/${encodeURIComponent(applicationId)}/documents/${type}/export?format=${format}`,
      `${type}.${format}`,
    );
  }

  exportPacket(applicationId: string): Promise<CliFile> {
    return this.file(`/applications/${encodeURIComponent(applicationId)}/packet`, 'packet.zip');
  }

  async importResume(filename: string, bytes: Buffer): Promise<ResumeImport> {
    const form = new FormData();
    form.append('file', new Blob([new Uint8Array(bytes)]), filename);
    const res = await this.call('/resumes/import', { method: 'POST', body: form });
    return (await res.json()) as ResumeImport;
  }

  createResume(input: CreateResume): Promise<Resume> {
    return this.json('/resumes', 'POST', input);
  }
}

/** fetch, with "the server is not there" said in words instead of "fetch failed". */
async function send(base: string, path: string, init: RequestInit): Promise<Response> {
  try {
    return await fetch(base + path, { ...init, redirect: 'error' });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (err as Error).message;
    throw new Error(`Could not reach the Job Forge server at ${base} (${why}).`, { cause: err });
  }
}

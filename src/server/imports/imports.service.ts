import type { Application, CreateApplication } from '../../contracts/applications.ts';
import type { ImportJob, JobImport, PostingSnapshot } from '../../contracts/imports.ts';
import { ApplicationsService } from '../applications/applications.service.ts';
import type { AuthContext, Tenant } from '../auth/tenant.ts';
import type { ComputePool } from '../compute/compute-pool.ts';
import { AppError, conflict, notFound } from '../http/errors.ts';
import type { OutboundOptions } from '../net/outbound-guard.ts';
import { safeFetch } from '../net/safe-fetch.ts';
import { decodePage } from './decode-page.ts';
import * as snapshots from './snapshots.repository.ts';

const HTML_TYPES = new Set(['text/html', 'application/xhtml+xml']);

/**
 * Job posting import: fetch (through the outbound guard) or take the page, extract a draft, keep
 * the page as a snapshot. Nothing becomes an application until the user confirms the draft.
 */
export class ImportsService {
  private readonly applications: ApplicationsService;

  constructor(
    private readonly tenant: Tenant,
    private readonly outbound: OutboundOptions,
    private readonly compute: ComputePool,
  ) {
    this.applications = new ApplicationsService(tenant);
  }

  async importJob(auth: AuthContext, input: ImportJob): Promise<JobImport> {
    let page: { html: string; finalUrl: string | null; contentType: string | null };
    if (input.html !== undefined) {
      page = { html: input.html, finalUrl: null, contentType: null };
    } else {
      const fetched = await safeFetch(input.url!, {
        ...this.outbound,
        accept: (t) => HTML_TYPES.has(t),
        expected: 'an HTML page',
      });
      page = { html: decodePage(fetched), finalUrl: fetched.url, contentType: fetched.mediaType };
    }
    const where = page.finalUrl ?? input.url;
    // In the compute pool: a hostile page's parse cannot hold the event loop, and one that
    // fails is that page's problem (422 page_unreadable), not a server error.
    const { source, postings } = await this.compute.run(
      'extractPostings',
      { html: page.html, where },
      'Reading the job page',
    );
    const usable = postings.filter((p) => p.role_title || p.job_description);
    if (usable.length === 0) {
      throw new AppError(
        422,
        'no_job_posting_found',
        `No job posting found on ${where ? `the page at ${where}` : 'that page'}: paste the description instead.`,
      );
    }
    const id = await this.tenant(auth, async (tx) => {
      await snapshots.deleteStaleDrafts(tx, auth.userId);
      return snapshots.insert(tx, auth.userId, {
        url: input.url ?? null,
        finalUrl: page.finalUrl,
        contentType: page.contentType,
        html: page.html,
        extracted: usable,
      });
    });
    return { snapshot_id: id, source, draft: usable[0]!, postings: usable };
  }

  /** Creates the application from the (edited) draft and attaches the snapshot, atomically. */
  confirm(auth: AuthContext, snapshotId: string, input: CreateApplication): Promise<Application> {
    return this.tenant(auth, async (tx) => {
      const draft = await snapshots.lockDraft(tx, auth.userId, snapshotId);
      if (!draft) throw notFound('imported posting');
      if (draft.attached) {
        throw conflict(
          'already_confirmed',
          'That imported posting already belongs to an application.',
        );
      }
      const created = await this.applications.createInTransaction(tx, auth.userId, input);
      await snapshots.attach(tx, auth.userId, snapshotId, created.id);
      return created;
    });
  }

  posting(auth: AuthContext, applicationId: string): Promise<PostingSnapshot> {
    return this.tenant(auth, async (tx) => {
      const found = await snapshots.findForApplication(tx, auth.userId, applicationId);
      if (!found) throw notFound('saved job posting');
      return found;
    });
  }
}

/** For other features, in their own transaction: the page an application was imported from. */
export const findSnapshotForApplication = snapshots.findForApplication;

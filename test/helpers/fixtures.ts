import type { TestServer, TestUser } from './server.ts';

export const RESUME_CONTENT =
  '# Ada Example\n\nSenior software engineer.\n\n## Experience\n\n- Built payment systems in TypeScript and PostgreSQL at Example Ltd (2019–2024).\n- Led a team of five.';

export const JOB_DESCRIPTION =
  'We are hiring a backend engineer to build our payments platform with TypeScript, PostgreSQL and Kubernetes. Remote in Europe.';

export const DOCUMENT_TYPES = ['research_report', 'optimized_resume', 'cover_letter'] as const;

/** A valid body for every write route, keyed by "METHOD /url-pattern". */
export const SAMPLE_BODIES: Record<string, unknown> = {
  'POST /api/v1/auth/register': {
    email: 'sample@example.com',
    password: 'sample password',
    first_name: 'Sam',
    last_name: 'Ple',
  },
  'POST /api/v1/auth/login': { email: 'sample@example.com', password: 'sample password' },
  'POST /api/v1/auth/refresh': { refresh_token: 'not-a-token' },
  'POST /api/v1/auth/logout': {},
  'PATCH /api/v1/users/me': { first_name: 'Renamed' },
  'DELETE /api/v1/users/me': { password: 'wrong password' },
  'POST /api/v1/users/me/password': { current_password: 'wrong', new_password: 'another password' },
  'POST /api/v1/resumes': { name: 'Another resume', content: RESUME_CONTENT },
  // A multipart route: JSON bodies, this one included, must get a clean 415.
  'POST /api/v1/resumes/import': { file: 'resume.md' },
  'PATCH /api/v1/resumes/:id': { name: 'Renamed resume', is_primary: true },
  'POST /api/v1/applications': {
    company_name: 'Other Co',
    role_title: 'Engineer',
    job_description: JOB_DESCRIPTION,
  },
  'PATCH /api/v1/applications/:id': { status: 'applied', notes: 'changed' },
  'PUT /api/v1/applications/:id/documents/:type': { content: 'Overwritten content' },
  'POST /api/v1/applications/:id/generate': { document_types: ['cover_letter'] },
  'POST /api/v1/generation-jobs/:id/cancel': {},
  // Offline only: a sample that saved a remote provider would send the fuzzed drafts out.
  'PUT /api/v1/users/me/ai-settings': {
    provider: 'offline',
    model: null,
    base_url: null,
    api_key: null,
  },
  'POST /api/v1/ai/test-connection': { provider: 'offline' },
  'POST /api/v1/applications/import': {
    url: 'https://jobs.example.com/2',
    html: `<title>Engineer at Other Co</title><p>${JOB_DESCRIPTION}</p>`,
  },
  'POST /api/v1/applications/import/:id/confirm': {
    company_name: 'Other Co',
    role_title: 'Engineer',
    job_description: JOB_DESCRIPTION,
  },
};

export interface SeededUser extends TestUser {
  resumeIds: string[];
  applicationId: string;
  /** A finished generation job (its cover letter saved as a third version). */
  jobId: string;
  marker: string;
}

/** A user with data of every kind: two resumes, an application with a status change and all three documents (two versions each). */
export async function seedUser(s: TestServer, marker: string): Promise<SeededUser> {
  const u = await s.register();
  const ok = async (method: string, path: string, body: unknown) => {
    const res = await s.request(method, path, { token: u.token, body });
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${res.text}`);
    return res.body;
  };
  const resumeIds: string[] = [];
  for (const name of ['Main', 'Management']) {
    const r = await ok('POST', '/api/v1/resumes', {
      name: `${name} ${marker}`,
      content: `${RESUME_CONTENT}\n\nKeyword ${marker}.`,
    });
    resumeIds.push(r.id);
  }
  const app = await ok('POST', '/api/v1/applications', {
    company_name: `Company ${marker}`,
    role_title: 'Backend Engineer',
    job_description: `${JOB_DESCRIPTION} Keyword ${marker}.`,
    job_url: 'https://jobs.example.com/1',
    location: 'Remote',
  });
  await ok('PATCH', `/api/v1/applications/${app.id}`, { status: 'applied' });
  for (const type of DOCUMENT_TYPES) {
    await ok('PUT', `/api/v1/applications/${app.id}/documents/${type}`, {
      content: `First ${type} ${marker}`,
    });
    await ok('PUT', `/api/v1/applications/${app.id}/documents/${type}`, {
      content: `Second ${type} ${marker}`,
    });
  }
  const job = await ok('POST', `/api/v1/applications/${app.id}/generate`, {
    document_types: ['cover_letter'],
  });
  // Wait for the worker: the callers compare snapshots of this user's data.
  for (let i = 0; ; i++) {
    const res = await s.request('GET', `/api/v1/generation-jobs/${job.id}`, { token: u.token });
    if (!['queued', 'running'].includes(res.body.status)) break;
    if (i > 400) throw new Error(`generation job ${job.id} did not finish: ${res.text}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return { ...u, resumeIds, applicationId: app.id, jobId: job.id, marker };
}

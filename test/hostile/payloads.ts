/**
 * Hostile payloads: what one signed-in user (or a stranger) can send to freeze, starve or lock
 * out a shared Job Forge, each at the largest size the API accepts. Used by the hostile test
 * suite (test/api/hostile.test.ts: every payload is answered 2xx/4xx and /healthz keeps
 * answering) and by `npm run bench -- hostile` (each payload's time and the worst /healthz wait
 * during it). Only fetch over HTTP: the server may run in this process or in a child.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface Session {
  base: string;
  token: string;
  email: string;
  password: string;
}

export interface Answer {
  status: number;
  body: any;
}

export async function call(
  base: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; form?: FormData; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const headers: Record<string, string> = { ...opts.headers };
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  let body: string | FormData | undefined = opts.form;
  if (opts.body !== undefined) {
    body = JSON.stringify(opts.body);
    headers['content-type'] = 'application/json';
  }
  const res = await fetch(base + path, { method, headers, body });
  const text = await res.text();
  let parsed: unknown = text;
  if (res.headers.get('content-type')?.includes('json') && text) parsed = JSON.parse(text);
  return { status: res.status, body: parsed };
}

let registered = 0;

export async function signUp(base: string, label = 'hostile'): Promise<Session> {
  registered += 1;
  const email = `${label}${registered}-${Date.now()}@example.com`;
  const password = 'correct horse battery';
  const res = await call(base, 'POST', '/api/v1/auth/register', {
    body: { email, password, first_name: 'Hostile', last_name: 'User', client: 'api' },
  });
  if (res.status !== 201) throw new Error(`register: ${res.status} ${JSON.stringify(res.body)}`);
  return { base, token: res.body.access_token as string, email, password };
}

// ---------------------------------------------------------------------------------------------
// Text built to trip super-linear patterns and per-line × per-term loops.

/** Lines that each hit one family of pathological input: long runs of one character class. */
function attackLines(run: number): string[] {
  return [
    `# a${' '.repeat(run)}x`,
    `## a${' \t'.repeat(run / 2)}\u00a0x`,
    `## ${'a '.repeat(run / 2)}!`,
    `${' '.repeat(run)}-`,
    `- ${'-'.repeat(run)}`,
    `${'_'.repeat(run)}x`,
    `${'*'.repeat(run)}x`,
    `${'['.repeat(run)}x`,
    `${'<'.repeat(run)}x`,
    `${'%'.repeat(run)}x`,
    `$${'1'.repeat(run)}x`,
    `${'1'.repeat(run)} years`,
    `${'.'.repeat(run)}x`,
    `${"'".repeat(run)}x`,
    `${'/'.repeat(run)}x`,
    `${'~'.repeat(run)}x`,
    `${'`'.repeat(run)}x`,
    `{"a":${'['.repeat(Math.min(run, 500))}`,
    `${'\t'.repeat(run)}x`,
    `Requirements:${' ,'.repeat(run / 2)}`,
    `${'word '.repeat(run / 5)}`,
  ];
}

/** About `chars` characters of attack lines (every family, then again), ending in a newline. */
export function attackText(chars: number, run = 3000): string {
  const lines = attackLines(run);
  const out: string[] = [];
  let size = 0;
  for (let i = 0; size < chars; i++) {
    const line = lines[i % lines.length]!;
    const room = chars - size - 1;
    const piece = line.length > room ? line.slice(0, Math.max(room, 1)) : line;
    out.push(piece);
    size += piece.length + 1;
  }
  return out.join('\n').slice(0, chars);
}

const WORDS = [
  'kubernetes',
  'terraform',
  'postgres',
  'kafka',
  'graphql',
  'rust',
  'golang',
  'typescript',
  'react',
  'observability',
  'prometheus',
  'grafana',
  'airflow',
  'spark',
  'snowflake',
  'dbt',
  'mentoring',
  'hiring',
  'budgeting',
  'negotiation',
  'forecasting',
  'compliance',
  'auditing',
  'nursing',
  'triage',
  'pharmacology',
  'phlebotomy',
  'radiology',
  'oncology',
  'pediatrics',
  'salesforce',
  'hubspot',
  'marketo',
  'tableau',
  'looker',
  'excel',
  'sap',
  'oracle',
  'netsuite',
];
const word = (i: number) => `${WORDS[i % WORDS.length]}${Math.floor(i / WORDS.length)}`;

/** A posting with n requirements, each naming two rare terms. */
export function manyRequirementsPosting(n: number): string {
  const lines = ['# Senior Engineer', '', '## Requirements', ''];
  for (let i = 0; i < n; i++) {
    lines.push(`- ${(i % 9) + 1}+ years of experience with ${word(i)} and ${word(i * 7 + 3)}`);
  }
  lines.push('', '## Nice to have', '', '- Experience with ' + word(n + 1));
  return lines.join('\n');
}

/** A resume of n bullet lines under a few jobs. */
export function longResume(n: number): string {
  const lines = ['# Jordan Example', '', 'jordan@example.com', '', '## Experience', ''];
  for (let i = 0; i < n; i++) {
    if (i % 40 === 0) lines.push('', `### Engineer, Company ${i / 40} (20${10 + (i % 15)} – 2025)`);
    lines.push(
      `- Built ${word(i * 3)} services with ${word(i * 5 + 1)}, cutting cost by ${i % 90}%`,
    );
  }
  return lines.join('\n');
}

// ---------------------------------------------------------------------------------------------
// A model server that answers one chat-completions stream as a single 40 MB chunk.

export interface GiantModelServer {
  baseUrl: string;
  /** Bytes the server managed to hand to the socket before the client went away. */
  bytesWritten(): number;
  close(): Promise<void>;
}

export async function startGiantChunkServer(megabytes = 40): Promise<GiantModelServer> {
  let written = 0;
  const sockets = new Set<Socket>();
  const server = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      // One SSE data line holding 40 MB of content, never terminated by a blank line: a
      // client that buffers until the end of the event holds it all.
      const head =
        'data: {"id":"x","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":"';
      res.write(head);
      written += head.length;
      const piece = 'A'.repeat(1024 * 1024);
      let left = megabytes;
      const pump = () => {
        while (left > 0) {
          left -= 1;
          written += piece.length;
          if (!res.write(piece)) return void res.once('drain', pump);
        }
        res.end('"}}]}\n\n');
      };
      res.on('close', () => (left = 0));
      pump();
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    bytesWritten: () => written,
    close: () =>
      new Promise<void>((r) => {
        for (const s of sockets) s.destroy();
        server.close(() => r());
      }),
  };
}

// ---------------------------------------------------------------------------------------------
// The payloads.

export interface PayloadContext {
  session: Session;
  /** A second user's session: for payloads that must not spill over onto others. */
  other: Session;
  /** Set by the suite when a local model server is allowed (JOBFORGE_ALLOW_PRIVATE_URLS). */
  giantModel?: GiantModelServer;
}

export interface Payload {
  name: string;
  /** Sends the payload and waits until the server has finished with it; the HTTP statuses seen. */
  run(ctx: PayloadContext): Promise<number[]>;
  /** Statuses that count as a proper answer (every payload: 2xx or 4xx, never 5xx). */
  accept?: (status: number) => boolean;
  /** Needs the local model server. */
  needsModelServer?: boolean;
}

async function importFile(s: Session, name: string, content: string) {
  const form = new FormData();
  form.append('file', new Blob([content]), name);
  return call(s.base, 'POST', '/api/v1/resumes/import', { token: s.token, form });
}

async function createResume(s: Session, content: string, primary = true) {
  const res = await call(s.base, 'POST', '/api/v1/resumes', {
    token: s.token,
    body: { name: 'Hostile resume', content, is_primary: primary },
  });
  if (res.status !== 201) throw new Error(`resume: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

async function createApplication(s: Session, jobDescription: string, notes = '') {
  const res = await call(s.base, 'POST', '/api/v1/applications', {
    token: s.token,
    body: {
      company_name: 'Hostile Co',
      role_title: 'Engineer',
      job_description: jobDescription,
      notes,
    },
  });
  if (res.status !== 201) throw new Error(`application: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.id as string;
}

/** The match analysis of a new application against a new (not primary) resume: its status. */
async function matchStatus(s: Session, resume: string, posting: string): Promise<number> {
  const resumeId = await createResume(s, resume, false);
  const appId = await createApplication(s, posting);
  const res = await call(
    s.base,
    'GET',
    `/api/v1/applications/${appId}/match?resume_id=${resumeId}`,
    {
      token: s.token,
    },
  );
  return res.status;
}

/** Generates and waits for the job to end; the statuses of the request and the final poll. */
async function generateAndWait(s: Session, applicationId: string, resumeId: string) {
  const started = await call(s.base, 'POST', `/api/v1/applications/${applicationId}/generate`, {
    token: s.token,
    body: { resume_id: resumeId },
  });
  if (started.status !== 202) return [started.status];
  const jobId = started.body.id as string;
  for (;;) {
    const job = await call(s.base, 'GET', `/api/v1/generation-jobs/${jobId}`, { token: s.token });
    if (job.status !== 200) return [started.status, job.status];
    if (!['queued', 'running'].includes(job.body.status as string)) {
      return [started.status, job.status];
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

const RESUME_MAX = 200_000;
const POSTING_MAX = 100_000;
const HTML_MAX = 2 * 1024 * 1024;

export const PAYLOADS: Payload[] = [
  {
    name: 'resume import: 3 KB Markdown, a heading of 3,000 spaces',
    run: async ({ session }) => [
      (await importFile(session, 'cv.md', `# a${' '.repeat(3000)}x\n\nJordan\n`)).status,
    ],
  },
  {
    name: 'resume import: 12 KB Markdown of such headings',
    run: async ({ session }) => [
      (await importFile(session, 'cv.md', `${`# a${' '.repeat(3000)}x\n`.repeat(4)}Jordan\n`))
        .status,
    ],
  },
  {
    name: 'resume import: 1 MB text of attack lines',
    run: async ({ session }) => [
      (await importFile(session, 'cv.txt', attackText(1_000_000))).status,
    ],
  },
  {
    name: 'resume import: 1 MB Markdown of attack lines',
    run: async ({ session }) => [
      (await importFile(session, 'cv.md', attackText(1_000_000))).status,
    ],
  },
  {
    name: 'resume import: 1 MB JSON Resume, deep and long',
    run: async ({ session }) => {
      // Valid JSON just under 1 MB, within the format's limits (500 entries, 2,000 characters a
      // highlight): a file refused as invalid would only test the validator's error path.
      const entry = (i: number) => ({
        name: `Company ${i}`,
        position: `# a${' '.repeat(200)}x`,
        summary: attackText(600, 300),
        highlights: [attackText(1900, 300)],
      });
      const work = Array.from({ length: 420 }, (_, i) => entry(i));
      const json = JSON.stringify({ basics: { name: 'Jordan' }, work });
      return [(await importFile(session, 'resume.json', json)).status];
    },
  },
  {
    name: 'resume save: 200,000 characters of attack lines',
    run: async ({ session }) => {
      const res = await call(session.base, 'POST', '/api/v1/resumes', {
        token: session.token,
        body: { name: 'Attack', content: attackText(RESUME_MAX), is_primary: false },
      });
      return [res.status];
    },
  },
  {
    name: 'application save: 100,000-character posting and 20,000-character notes of attack lines',
    run: async ({ session }) => {
      const res = await call(session.base, 'POST', '/api/v1/applications', {
        token: session.token,
        body: {
          company_name: 'Attack',
          role_title: 'Attack',
          job_description: attackText(POSTING_MAX),
          notes: attackText(20_000),
        },
      });
      return [res.status];
    },
  },
  {
    name: 'match: 300 requirements against a 1,200-line resume',
    run: async ({ session }) => [
      await matchStatus(session, longResume(1200), manyRequirementsPosting(300)),
    ],
  },
  {
    name: 'match: the largest posting of attack lines against the largest resume',
    run: async ({ session }) => [
      await matchStatus(session, attackText(RESUME_MAX), attackText(POSTING_MAX)),
    ],
  },
  {
    name: 'job import: a 2 MiB page of attack text, nested tags and JSON-LD',
    run: async ({ session }) => {
      const parts = [
        '<html><head><title>Job</title>',
        `<script type="application/ld+json">{"@type":"JobPosting","title":"${' '.repeat(5000)}x","description":"${'&lt;p&gt;'.repeat(20000)}"}</script>`,
        '</head><body>',
        '<div>'.repeat(5000),
        `<p>${attackText(600_000).replace(/[<&]/g, ' ')}</p>`,
        '</div>'.repeat(5000),
        `<ul>${'<li>Requirement</li>'.repeat(20000)}</ul>`,
      ];
      let html = parts.join('');
      html = (html + ' '.repeat(HTML_MAX)).slice(0, HTML_MAX - 20) + '</body></html>';
      const res = await call(session.base, 'POST', '/api/v1/applications/import', {
        token: session.token,
        body: { html, url: 'https://jobs.example.com/1' },
      });
      return [res.status];
    },
  },
  {
    name: 'search: 200 characters of operators and attack text',
    run: async ({ session }) => {
      const q = encodeURIComponent(`"${'(-'.repeat(40)}${'a* '.repeat(30)}`.slice(0, 200));
      const plain = await call(session.base, 'GET', `/api/v1/search?q=${q}`, {
        token: session.token,
      });
      return [plain.status];
    },
  },
  {
    name: 'document save: a 200,000-character tailored resume (grounding on save)',
    run: async ({ session }) => {
      await createResume(session, longResume(1200), true);
      const appId = await createApplication(session, manyRequirementsPosting(300));
      const res = await call(
        session.base,
        'PUT',
        `/api/v1/applications/${appId}/documents/optimized_resume`,
        { token: session.token, body: { content: attackText(RESUME_MAX) } },
      );
      return [res.status];
    },
  },
  {
    name: 'export: the largest document as PDF and as Word',
    run: async ({ session }) => {
      const appId = await createApplication(session, manyRequirementsPosting(50));
      const put = await call(
        session.base,
        'PUT',
        `/api/v1/applications/${appId}/documents/cover_letter`,
        { token: session.token, body: { content: attackText(RESUME_MAX, 500) } },
      );
      const statuses = [put.status];
      for (const format of ['pdf', 'docx']) {
        const res = await fetch(
          `${session.base}/api/v1/applications/${appId}/documents/cover_letter/export?format=${format}`,
          { headers: { authorization: `Bearer ${session.token}` } },
        );
        await res.arrayBuffer();
        statuses.push(res.status);
      }
      return statuses;
    },
  },
  {
    name: 'drafting offline: the largest posting against the largest resume, to the end',
    run: async ({ session }) => {
      const resumeId = await createResume(session, attackText(RESUME_MAX, 1000), false);
      const appId = await createApplication(session, attackText(POSTING_MAX, 1000));
      return generateAndWait(session, appId, resumeId);
    },
  },
  {
    name: 'login: 40 parallel wrong passwords for one account',
    run: async ({ other }) => {
      const answers = await Promise.all(
        Array.from({ length: 40 }, () =>
          call(other.base, 'POST', '/api/v1/auth/login', {
            body: { email: other.email, password: 'wrong password!', client: 'api' },
          }),
        ),
      );
      return answers.map((a) => a.status);
    },
  },
  {
    name: 'drafting with a model server that answers one 40 MB chunk',
    needsModelServer: true,
    run: async ({ session, giantModel }) => {
      if (!giantModel) throw new Error('this payload needs the giant-chunk model server');
      const put = await call(session.base, 'PUT', '/api/v1/users/me/ai-settings', {
        token: session.token,
        body: {
          provider: 'openai-compatible',
          base_url: giantModel.baseUrl,
          model: 'giant',
          api_key: 'sk-hostile-000000',
        },
      });
      if (put.status !== 200) return [put.status];
      const resumeId = await createResume(session, longResume(40), false);
      const appId = await createApplication(session, manyRequirementsPosting(10));
      const statuses = await generateAndWait(session, appId, resumeId);
      // Back to the offline engine for the payloads after this one.
      await call(session.base, 'PUT', '/api/v1/users/me/ai-settings', {
        token: session.token,
        body: { provider: null, base_url: null, model: null, api_key: null },
      });
      return statuses;
    },
  },
];

// ---------------------------------------------------------------------------------------------
// /healthz while a payload runs.

export interface HealthzWatch {
  /** Stops the loop; the worst wait, how many answered, and what went wrong. */
  stop(): Promise<{ worstMs: number; answered: number; failures: string[] }>;
}

/**
 * Asks /healthz one request at a time, every `everyMs`, recording how long each answer took.
 * A request not answered within `hangMs` is a failure (the server stopped answering), not a
 * slow answer: speed is the bench's business, liveness the test's.
 */
export function watchHealthz(base: string, everyMs = 20, hangMs = 10_000): HealthzWatch {
  let running = true;
  let worstMs = 0;
  let answered = 0;
  const failures: string[] = [];
  const loop = (async () => {
    while (running) {
      const started = performance.now();
      try {
        const res = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(hangMs) });
        await res.arrayBuffer();
        if (res.status !== 200) failures.push(`/healthz answered ${res.status}`);
        else answered += 1;
      } catch (err) {
        failures.push(`/healthz: ${(err as Error).message}`);
      }
      worstMs = Math.max(worstMs, performance.now() - started);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  })();
  return {
    async stop() {
      running = false;
      await loop;
      return { worstMs, answered, failures };
    },
  };
}

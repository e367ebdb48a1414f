import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import JSZip from 'jszip';
import mammoth from 'mammoth';
import { dbKinds } from '../../../test/helpers/databases.ts';
import { startTestServer, type TestServer, type TestUser } from '../../../test/helpers/server.ts';

const run = promisify(execFile);

const LETTER = `# Application for the Backend Engineer role

Dear hiring team at Société Générale,

I am writing to apply for the **Ingénieur Backend** role. My work on *payments* is at [my site](https://example.com/ada).
Résumé attached; I also read Ελληνικά and Русский.

## Why me

- Built payment systems in TypeScript and PostgreSQL (2019–2024).
- Led a team of five in Zürich, Kraków and Αθήνα.
- Wrote \`pg\` tooling used by the whole team.

## What I would do first

1. Learn how the ledger works today.
2. Pair with the on-call engineers.
3. Ship a small fix in the first week.

### Closing

Kind regards — Zoë
`;

const RESUME = `# Zoë Ångström

Senior software engineer · zoe@example.com

## Experience

### Société Générale — Ingénieur Backend

- Built the card ledger: 40 million postings a day.
- Москва and Θεσσαλονίκη offices, remote from Łódź.

## Skills

1. TypeScript, Node.js, PostgreSQL
2. Kubernetes
`;

/** The text a reader sees on each non-empty Markdown line, without the Markdown marks. */
function markdownLines(md: string): string[] {
  return md
    .split('\n')
    .map((line) =>
      line
        .replace(/^#{1,6}\s+/, '')
        .replace(/^\s*(?:[-*+]|\d+\.)\s+/, '')
        .replace(/\[([^[\]]*)\]\([^)]*\)/g, '$1')
        .replace(/\*\*|__|\*|`/g, '')
        .trim(),
    )
    .filter((line) => line.length > 0);
}

const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/** Every expected line occurs in `text`, each after the previous one. */
function assertInOrder(text: string, lines: string[], what: string): void {
  const haystack = squash(text);
  let at = 0;
  for (const line of lines) {
    const found = haystack.indexOf(squash(line), at);
    assert.ok(found >= 0, `${what}: "${line}" missing or out of order in:\n${haystack}`);
    at = found + squash(line).length;
  }
}

async function pdfText(pdf: Buffer): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'jobforge-pdf-'));
  try {
    const file = path.join(dir, 'out.pdf');
    await writeFile(file, pdf);
    const { stdout } = await run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']);
    return stdout;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** The headings and list items mammoth finds, in order, as "h1: text" / "li: text". */
function structure(html: string): string[] {
  return [...html.matchAll(/<(h[1-6]|li)>(.*?)<\/\1>|<(h[1-6]|li)>([^<]*)/g)].map((m) => {
    const tag = m[1] ?? m[3];
    const inner = (m[2] ?? m[4] ?? '').replace(/<[^<>]+>/g, '');
    return `${tag}: ${inner.replace(/&amp;/g, '&').trim()}`;
  });
}

function markdownStructure(md: string): string[] {
  return md.split('\n').flatMap((line) => {
    const h = /^(#{1,3})\s(.*)$/.exec(line);
    if (h) return [`h${h[1]!.length}: ${h[2]!.trimStart()}`];
    const li = /^\s*(?:[-*+]|\d+\.)\s(.*)$/.exec(line);
    if (li) return [`li: ${li[1]!.trimStart().replace(/`/g, '')}`];
    return [];
  });
}

for (const kind of dbKinds()) {
  describe(`exports (${kind})`, () => {
    let s: TestServer;
    let u: TestUser;
    let other: TestUser;
    let appId: string;
    let resumeId: string;

    const download = async (url: string, token = u.token) => {
      const res = await fetch(s.url + url, { headers: { authorization: `Bearer ${token}` } });
      const body = Buffer.from(await res.arrayBuffer());
      return { status: res.status, headers: res.headers, body };
    };

    before(async () => {
      s = await startTestServer(kind);
      u = await s.register({ first_name: 'Zoë', last_name: 'Ångström' });
      other = await s.register();
      const app = await s.request('POST', '/api/v1/applications', {
        token: u.token,
        body: {
          company_name: 'Société Générale',
          role_title: 'Ingénieur Backend',
          job_description:
            'We are hiring a backend engineer for our **payments** platform.\n\n- TypeScript\n- PostgreSQL',
        },
      });
      assert.equal(app.status, 201, app.text);
      appId = app.body.id;
      for (const [type, content] of [
        ['cover_letter', LETTER],
        ['optimized_resume', RESUME],
      ]) {
        const res = await s.request('PUT', `/api/v1/applications/${appId}/documents/${type}`, {
          token: u.token,
          body: { content },
        });
        assert.equal(res.status, 201, res.text);
      }
      const resume = await s.request('POST', '/api/v1/resumes', {
        token: u.token,
        body: { name: 'Zoë — Main (2026)', content: RESUME },
      });
      assert.equal(resume.status, 201, resume.text);
      resumeId = resume.body.id;
    });
    after(() => s.stop());

    test('when a document is exported as Markdown (the default), then it is the stored content byte for byte', async () => {
      for (const q of ['', '?format=md']) {
        const res = await download(
          `/api/v1/applications/${appId}/documents/cover_letter/export${q}`,
        );
        assert.equal(res.status, 200);
        assert.equal(res.headers.get('content-type'), 'text/markdown; charset=utf-8');
        assert.equal(
          res.headers.get('content-disposition'),
          'attachment; filename="societe_generale_ingenieur_backend_cover_letter.md"',
        );
        assert.ok(res.body.equals(Buffer.from(LETTER, 'utf8')));
      }
    });

    test('when a cover letter is exported as PDF, then pdftotext reads the name first and every line in order, accents, Greek and Cyrillic included', async () => {
      const res = await download(
        `/api/v1/applications/${appId}/documents/cover_letter/export?format=pdf`,
      );
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/pdf');
      assert.match(
        res.headers.get('content-disposition') ?? '',
        /filename="societe_generale_ingenieur_backend_cover_letter\.pdf"/,
      );
      assert.equal(res.body.subarray(0, 5).toString(), '%PDF-');
      const text = await pdfText(res.body);
      assertInOrder(text, ['Zoë Ångström', ...markdownLines(LETTER)], 'cover letter PDF');
    });

    test('when a resume is exported as PDF, then every line of its Markdown is read back in order', async () => {
      const res = await download(`/api/v1/resumes/${resumeId}/export?format=pdf`);
      assert.equal(res.status, 200);
      assert.equal(
        res.headers.get('content-disposition'),
        'attachment; filename="zoe_main_2026_resume.pdf"',
      );
      const text = await pdfText(res.body);
      assertInOrder(text, markdownLines(RESUME), 'resume PDF');
      assert.doesNotMatch(text, /Zoë Ångström\s+Zoë Ångström/, 'no letter head on a resume');
    });

    test('when documents are exported as DOCX, then mammoth reads the same text, headings and list items', async () => {
      for (const [url, md] of [
        [`/api/v1/applications/${appId}/documents/cover_letter/export?format=docx`, LETTER],
        [`/api/v1/applications/${appId}/documents/optimized_resume/export?format=docx`, RESUME],
        [`/api/v1/resumes/${resumeId}/export?format=docx`, RESUME],
      ] as const) {
        const res = await download(url);
        assert.equal(res.status, 200, url);
        assert.equal(
          res.headers.get('content-type'),
          'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        );
        assert.match(res.headers.get('content-disposition') ?? '', /\.docx"$/);
        const { value: raw } = await mammoth.extractRawText({ buffer: res.body });
        assertInOrder(raw, markdownLines(md), url);
        const { value: html } = await mammoth.convertToHtml({ buffer: res.body });
        assert.deepEqual(structure(html), markdownStructure(md), url);
        assert.match(html, /<ol>/, 'numbered lists stay numbered');
        assert.match(html, /<ul>/, 'bullets stay bullets');
      }
    });

    test('when the letter is exported as DOCX, then the user’s name and email head it', async () => {
      const res = await download(
        `/api/v1/applications/${appId}/documents/cover_letter/export?format=docx`,
      );
      const { value: raw } = await mammoth.extractRawText({ buffer: res.body });
      assertInOrder(raw, ['Zoë Ångström', u.email, 'Application for the Backend'], 'letter head');
    });

    test('when the format is unknown, then 400; when the id is another user’s, unknown or the document missing, then 404', async () => {
      const bad = await s.request(
        'GET',
        `/api/v1/applications/${appId}/documents/cover_letter/export?format=rtf`,
        { token: u.token },
      );
      assert.equal(bad.status, 400);
      assert.equal(bad.body.error.code, 'validation_failed');
      const badResume = await s.request('GET', `/api/v1/resumes/${resumeId}/export?format=PDF`, {
        token: u.token,
      });
      assert.equal(badResume.status, 400);
      for (const url of [
        `/api/v1/applications/${appId}/documents/cover_letter/export?format=pdf`,
        `/api/v1/resumes/${resumeId}/export?format=docx`,
        `/api/v1/applications/${appId}/packet`,
      ]) {
        const theirs = await s.request('GET', url, { token: other.token });
        assert.equal(theirs.status, 404, url);
        const unknown = await s.request(
          'GET',
          url.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/, '00000000-0000-4000-8000-000000000000'),
          { token: other.token },
        );
        assert.deepEqual(unknown.body, theirs.body, 'no hint of which');
      }
      const none = await s.request(
        'GET',
        `/api/v1/applications/${appId}/documents/research_report/export?format=pdf`,
        { token: u.token },
      );
      assert.equal(none.status, 404);
      assert.match(none.body.error.message, /document/);
    });

    test('when the packet is downloaded, then the zip holds the posting, each document in three formats and a manifest', async () => {
      const res = await download(`/api/v1/applications/${appId}/packet`);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'application/zip');
      assert.equal(
        res.headers.get('content-disposition'),
        'attachment; filename="societe_generale_ingenieur_backend_packet.zip"',
      );
      const zip = await JSZip.loadAsync(res.body);
      const names = Object.keys(zip.files).sort();
      const base = 'documents/societe_generale_ingenieur_backend';
      assert.deepEqual(names, [
        `${base}_cover_letter.docx`,
        `${base}_cover_letter.md`,
        `${base}_cover_letter.pdf`,
        `${base}_optimized_resume.docx`,
        `${base}_optimized_resume.md`,
        `${base}_optimized_resume.pdf`,
        'manifest.json',
        'posting/posting.md',
      ]);
      assert.equal(await zip.file(`${base}_cover_letter.md`)!.async('string'), LETTER);
      const posting = await zip.file('posting/posting.md')!.async('string');
      assert.match(posting, /^# Ingénieur Backend at Société Générale/);
      assert.match(posting, /our \*\*payments\*\* platform/);
      const pdf = await zip.file(`${base}_optimized_resume.pdf`)!.async('nodebuffer');
      assertInOrder(await pdfText(pdf), markdownLines(RESUME), 'packet resume PDF');
      const manifest = JSON.parse(await zip.file('manifest.json')!.async('string'));
      assert.equal(manifest.application.id, appId);
      assert.equal(manifest.posting.snapshot, null);
      assert.deepEqual(
        manifest.documents.map((d: { document_type: string }) => d.document_type).sort(),
        ['cover_letter', 'optimized_resume'],
      );
      for (const d of manifest.documents as { files: string[] }[])
        for (const f of d.files) assert.ok(zip.file(f), `manifest lists ${f}`);
    });

    test('when the application was imported, then the packet keeps the frozen page', async () => {
      const page =
        '<html><head><title>Data Engineer at Ørsted</title></head><body><main><h1>Data Engineer</h1>' +
        '<p>Build the data platform for offshore wind farms with Python and PostgreSQL. Remote in Europe.</p>' +
        '</main></body></html>';
      const imported = await s.request('POST', '/api/v1/applications/import', {
        token: u.token,
        body: { url: 'https://jobs.example.com/orsted', html: page },
      });
      assert.equal(imported.status, 200, imported.text);
      const created = await s.request(
        'POST',
        `/api/v1/applications/import/${imported.body.snapshot_id}/confirm`,
        {
          token: u.token,
          body: {
            company_name: 'Ørsted',
            role_title: 'Data Engineer',
            job_description:
              'Build the data platform for offshore wind farms with Python and PostgreSQL.',
          },
        },
      );
      assert.equal(created.status, 201, created.text);
      const res = await download(`/api/v1/applications/${created.body.id}/packet`);
      assert.equal(res.status, 200);
      assert.match(
        res.headers.get('content-disposition') ?? '',
        /"orsted_data_engineer_packet\.zip"/,
      );
      const zip = await JSZip.loadAsync(res.body);
      assert.equal(await zip.file('posting/original.html')!.async('string'), page);
      const manifest = JSON.parse(await zip.file('manifest.json')!.async('string'));
      assert.equal(manifest.posting.snapshot.url, 'https://jobs.example.com/orsted');
      assert.deepEqual(manifest.documents, []);
    });
  });
}

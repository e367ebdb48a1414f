import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { ComputePool } from '../compute/compute-pool.ts';
import { AppError } from '../http/errors.ts';
import { readResumeFile } from './resume-import.service.ts';
import {
  JSON_RESUME,
  makeDocx,
  makeLyingZip,
  makePdf,
  makePdfClaimingPages,
  makeScannedPdf,
  makeZipBombDocx,
} from './resume-files.test-helpers.ts';

/** The same resume, as Markdown, whatever tool made the file. */
const FAITHFUL = [
  /^# Jeanne Dupré$/m,
  /\[jeanne\.example\.com\]\(https:\/\/jeanne\.example\.com\/\)/,
  /^## Expérience$/m,
  /^Ingénieure, Café Crème SA$/m,
  /^- Réduit la latence de 40 %\n- Migré vers PostgreSQL$/m,
  /^## Formation$/m,
  /^École Centrale de Lyon$/m,
];

function assertFaithful(markdown: string) {
  for (const pattern of FAITHFUL) assert.match(markdown, pattern);
  const order = ['Jeanne Dupré', 'Expérience', 'Réduit', 'Migré', 'Formation', 'École'];
  const positions = order.map((s) => markdown.indexOf(s));
  assert.deepEqual(
    positions,
    [...positions].sort((a, b) => a - b),
    `in order: ${positions.join(', ')}`,
  );
}

const compute = new ComputePool({ threads: 2, timeoutMs: 60_000, heapMb: 256 });
after(() => compute.close());
const readResume = (filename: string, bytes: Uint8Array) =>
  readResumeFile(compute, filename, bytes);

async function refusal(filename: string, bytes: Uint8Array): Promise<AppError> {
  try {
    await readResume(filename, bytes);
  } catch (err) {
    assert.ok(err instanceof AppError, `an AppError, got ${String(err)}`);
    assert.ok(err.status >= 400 && err.status < 500);
    assert.ok(err.message.length > 20, 'a sentence, not a code');
    return err;
  }
  assert.fail(`${filename} was accepted`);
}

describe('readResumeFile', () => {
  test('when a PDF made by pdf-lib is imported, then its Markdown keeps the headings, bullets, link, accents and order', async () => {
    const result = await readResume('cv.pdf', await makePdf());
    assert.equal(result.source, 'pdf');
    assert.equal(result.name, 'Jeanne Dupré');
    assertFaithful(result.content);
    assert.deepEqual(result.warnings, []);
  });

  test('when a DOCX assembled from raw WordprocessingML is imported, then its Markdown keeps the headings, bullets, link, accents and order', async () => {
    const result = await readResume('cv.docx', await makeDocx());
    assert.equal(result.source, 'docx');
    assert.equal(result.name, 'Jeanne Dupré');
    assertFaithful(result.content);
  });

  test('when a JSON Resume is imported, then every section is rendered as Markdown and HTML in it is text', async () => {
    const result = await readResume('resume.json', Buffer.from(JSON.stringify(JSON_RESUME)));
    assert.equal(result.source, 'json-resume');
    assert.equal(result.name, 'Jeanne Dupré');
    const md = result.content;
    for (const expected of [
      '# Jeanne Dupré',
      '**Développeuse backend**',
      '[jeanne@example.com](mailto:jeanne@example.com)',
      '+33 6 12 34 56 78',
      'Lyon, FR',
      '[GitHub](https://github.com/jdupre) (jdupre)',
      '## Summary',
      '### Ingénieure — Café Crème SA',
      '*2019-01 – Present*',
      '- Réduit la latence de 40 %',
      '### Master in Informatique — École Centrale de Lyon',
      '- **Databases** (Expert): PostgreSQL, SQLite',
      '### [Job Forge](https://example.com/jf)',
      '- Français: Native',
      '- CKA — CNCF, 2022',
      '- **Hackathon** — Lyon Tech, 2021',
    ])
      assert.ok(md.includes(expected), `${expected} in:\n${md}`);
    assert.doesNotMatch(md, /<b>/);
  });

  test('when a JSON Resume has a value of the wrong type, then 422 invalid_json_resume names the field', async () => {
    const err = await refusal('r.json', Buffer.from(JSON.stringify({ basics: { name: 42 } })));
    assert.equal(err.code, 'invalid_json_resume');
    assert.ok(err.fields?.['basics.name']);
    const other = await refusal('r.json', Buffer.from('{"hello": "world"}'));
    assert.equal(other.code, 'invalid_json_resume');
  });

  test('when Markdown or plain text is imported, then Markdown is kept and text gets a title, sections and bullets', async () => {
    const md = await readResume(
      'cv.md',
      Buffer.from('\uFEFF# Ana Lima\r\n\r\n## Skills\r\n\r\n- Go\r\n'),
    );
    assert.equal(md.source, 'markdown');
    assert.equal(md.name, 'Ana Lima');
    assert.equal(md.content, '# Ana Lima\n\n## Skills\n\n- Go');
    const text = await readResume(
      'cv.txt',
      Buffer.from(
        'Ana Lima\nana@example.com\n\nEXPERIENCE\n• Built a thing\n  that wrapped\n• Shipped it\n',
      ),
    );
    assert.equal(text.source, 'text');
    assert.equal(
      text.content,
      '# Ana Lima\n\nana@example.com\n\n## EXPERIENCE\n\n- Built a thing that wrapped\n- Shipped it',
    );
    assert.ok(text.warnings.some((w) => w.includes('at least 100')));
  });

  test('when a text file is Windows-1252 or mentions %PDF-, then it is read as text with a note on the encoding', async () => {
    const legacy = await readResume(
      'cv.txt',
      Buffer.from('Jeanne Dupré\n\nEXPÉRIENCE\n- Café Crème\n', 'latin1'),
    );
    assert.equal(legacy.source, 'text');
    assert.match(legacy.content, /^# Jeanne Dupré$/m);
    assert.match(legacy.content, /^## EXPÉRIENCE$/m);
    assert.match(legacy.warnings[0]!, /Windows-1252/);
    const md = await readResume('notes.md', Buffer.from('# Notes\n\nA PDF starts with %PDF-1.7.'));
    assert.equal(md.source, 'markdown');
  });

  test('when a PDF has no text layer, then 422 pdf_without_text says it looks like a scan', async () => {
    const err = await refusal('scan.pdf', await makeScannedPdf());
    assert.equal(err.code, 'pdf_without_text');
    assert.match(err.message, /scan/);
  });

  test('when a PDF is cut short, then 422 corrupt_file', async () => {
    const pdf = await makePdf();
    const err = await refusal('cv.pdf', pdf.subarray(0, Math.floor(pdf.length / 2)));
    assert.equal(err.code, 'corrupt_file');
  });

  test('when a PDF is garbage after its header, then 422 corrupt_file', async () => {
    const err = await refusal('cv.pdf', Buffer.from('%PDF-1.7\nnot really a pdf\n%%EOF\n'));
    assert.equal(err.code, 'corrupt_file');
  });

  test('when a PDF’s page tree claims 10,000 pages, then 422 too_many_pages before it is parsed', async () => {
    const err = await refusal('cv.pdf', await makePdfClaimingPages(10_000));
    assert.equal(err.code, 'too_many_pages');
    assert.match(err.message, /10,000/);
  });

  test('when a DOCX holds 300 MiB of zeros, then 422 archive_too_large and memory stays bounded', async () => {
    const bomb = await makeZipBombDocx(300);
    assert.ok(bomb.length < 5 * 1024 * 1024, `the bomb is ${bomb.length} bytes`);
    const before = process.memoryUsage();
    const err = await refusal('cv.docx', bomb);
    const after = process.memoryUsage();
    assert.equal(err.code, 'archive_too_large');
    const growth = after.heapUsed + after.external - (before.heapUsed + before.external);
    assert.ok(growth < 64 * 1024 * 1024, `memory grew by ${growth} bytes`);
  });

  test('when a ZIP lies about its sizes, then inflating stops at the declared size', async () => {
    const before = process.memoryUsage();
    const err = await refusal('cv.docx', await makeLyingZip(1000, 200 * 1024 * 1024));
    const after = process.memoryUsage();
    assert.equal(err.code, 'archive_too_large');
    const growth = after.heapUsed + after.external - (before.heapUsed + before.external);
    assert.ok(growth < 64 * 1024 * 1024, `memory grew by ${growth} bytes`);
  });

  test('when reading a PDF takes longer than the pool allows, then 422 input_too_complex', async () => {
    const hurried = new ComputePool({ threads: 1, timeoutMs: 1, heapMb: 256 });
    after(() => hurried.close());
    await assert.rejects(readResumeFile(hurried, 'cv.pdf', await makePdf()), {
      code: 'input_too_complex',
      message: /^Reading the file took longer than the 1 ms this server allows/,
    });
  });

  test('when a file’s bytes contradict its extension, then 422 file_type_mismatch', async () => {
    assert.equal((await refusal('cv.pdf', await makeDocx())).code, 'file_type_mismatch');
    assert.equal((await refusal('cv.docx', Buffer.from('just text'))).code, 'file_type_mismatch');
    assert.equal((await refusal('cv.md', await makePdf())).code, 'file_type_mismatch');
  });

  test('when a ZIP is not a Word document, or not even a ZIP, then 422 corrupt_file', async () => {
    const zip = await makeDocx({ 'hello.txt': 'hi' });
    assert.equal((await refusal('cv.docx', zip)).code, 'corrupt_file');
    const cut = await makeDocx();
    assert.equal((await refusal('cv.docx', cut.subarray(0, 200))).code, 'corrupt_file');
  });

  test('when a file is empty, binary or over 5 MiB, then a 4xx with its own code', async () => {
    assert.equal((await refusal('cv.pdf', new Uint8Array(0))).code, 'empty_file');
    assert.equal((await refusal('cv.txt', Buffer.from('  \n'))).code, 'empty_file');
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    assert.equal((await refusal('cv.png', png)).code, 'unsupported_file_type');
    const big = Buffer.alloc(5 * 1024 * 1024 + 1, 'a');
    assert.equal((await refusal('cv.txt', big)).code, 'file_too_large');
  });
});

import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { dbKinds } from '../../../test/helpers/databases.ts';
import { startTestServer, type TestServer, type TestUser } from '../../../test/helpers/server.ts';
import { makeDocx, makeZipBombDocx } from './resume-files.test-helpers.ts';

for (const kind of dbKinds()) {
  describe(`POST /api/v1/resumes/import (${kind})`, () => {
    let s: TestServer;
    let user: TestUser;
    before(async () => {
      s = await startTestServer(kind);
      user = await s.register();
    });
    after(() => s.stop());

    const upload = async (
      parts: { field?: string; name: string; bytes: Uint8Array | string }[],
      token: string | null = user.token,
    ) => {
      const form = new FormData();
      for (const part of parts)
        form.append(
          part.field ?? 'file',
          new Blob([typeof part.bytes === 'string' ? part.bytes : Buffer.from(part.bytes)]),
          part.name,
        );
      const res = await fetch(`${s.url}/api/v1/resumes/import`, {
        method: 'POST',
        headers: token ? { authorization: `Bearer ${token}` } : {},
        body: form,
      });
      return { status: res.status, body: await res.json() };
    };

    test('when a signed-in user uploads a DOCX, then 200 with its Markdown and nothing is stored', async () => {
      const res = await upload([{ name: 'cv.docx', bytes: await makeDocx() }]);
      assert.equal(res.status, 200);
      assert.equal(res.body.source, 'docx');
      assert.equal(res.body.name, 'Jeanne Dupré');
      assert.match(res.body.content, /^- Réduit la latence de 40 %$/m);
      assert.deepEqual(res.body.warnings, []);
      const list = await s.request('GET', '/api/v1/resumes', { token: user.token });
      assert.deepEqual(list.body.items, []);
    });

    test('when nobody is signed in, then 401', async () => {
      const res = await upload([{ name: 'cv.md', bytes: '# A' }], null);
      assert.equal(res.status, 401);
    });

    test('when the request has no file, a JSON body or no body, then a 4xx that says to send a file', async () => {
      const noFile = await upload([{ field: 'other', name: 'cv.md', bytes: '# A' }]);
      assert.equal(noFile.status, 400);
      assert.equal(noFile.body.error.code, 'no_file');
      const json = await s.request('POST', '/api/v1/resumes/import', {
        token: user.token,
        body: { file: 'cv.md' },
      });
      assert.equal(json.status, 415);
      assert.equal(json.body.error.code, 'unsupported_media_type');
      assert.match(json.body.error.message, /multipart\/form-data/);
      const empty = await s.request('POST', '/api/v1/resumes/import', { token: user.token });
      assert.equal(empty.status, 400);
      assert.equal(empty.body.error.code, 'no_file');
      const broken = await s.request('POST', '/api/v1/resumes/import', {
        token: user.token,
        rawBody: 'not multipart at all',
        headers: { 'content-type': 'multipart/form-data; boundary=x' },
      });
      assert.ok(broken.status >= 400 && broken.status < 500, `got ${broken.status}`);
      assert.equal(typeof broken.body.error.code, 'string');
    });

    test('when the file is just under 5 MiB, then it is read (the API’s 1 MiB JSON limit does not apply)', async () => {
      const res = await upload([{ name: 'cv.md', bytes: `# Big\n\n${'word '.repeat(1_000_000)}` }]);
      assert.equal(res.status, 200);
      assert.equal(res.body.source, 'markdown');
      assert.ok(res.body.warnings.some((w: string) => w.includes('200,000 characters')));
    });

    test('when the file is over 5 MiB or there are two files, then a 4xx', async () => {
      const big = await upload([{ name: 'cv.txt', bytes: 'a'.repeat(5 * 1024 * 1024 + 10) }]);
      assert.equal(big.status, 413);
      assert.equal(big.body.error.code, 'file_too_large');
      const two = await upload([
        { name: 'a.md', bytes: '# A' },
        { name: 'b.md', bytes: '# B' },
      ]);
      assert.ok(two.status === 200 || (two.status >= 400 && two.status < 500));
    });

    test('when the file is an empty file, a .pdf that is a zip or a DOCX zip bomb, then 422 with its code and the heap stays bounded', async () => {
      const empty = await upload([{ name: 'cv.md', bytes: '' }]);
      assert.equal(empty.status, 422);
      assert.equal(empty.body.error.code, 'empty_file');
      const disguised = await upload([{ name: 'cv.pdf', bytes: await makeDocx() }]);
      assert.equal(disguised.status, 422);
      assert.equal(disguised.body.error.code, 'file_type_mismatch');
      const bomb = await makeZipBombDocx(300);
      const before = process.memoryUsage();
      const res = await upload([{ name: 'cv.docx', bytes: bomb }]);
      const after = process.memoryUsage();
      assert.equal(res.status, 422);
      assert.equal(res.body.error.code, 'archive_too_large');
      const growth = after.heapUsed + after.external - (before.heapUsed + before.external);
      assert.ok(growth < 96 * 1024 * 1024, `memory grew by ${growth} bytes`);
    });
  });
}

import assert from 'node:assert/strict';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import { CONTENT_SECURITY_POLICY, registerWebApp } from './web-app.ts';

describe('serving the web app', () => {
  let app: FastifyInstance;
  let root: string;
  before(async () => {
    root = `${await fs.mkdtemp(path.join(os.tmpdir(), 'jobforge-web-'))}/`;
    await fs.mkdir(path.join(root, 'assets'));
    await fs.writeFile(path.join(root, 'index.html'), '<!doctype html><title>app</title>');
    await fs.writeFile(path.join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
    app = Fastify();
    app.setNotFoundHandler((_req, reply) => reply.code(404).send({ error: { code: 'not_found' } }));
    app.get('/api/v1/known', () => ({ ok: true }));
    await registerWebApp(app, root);
  });
  after(async () => {
    await app.close();
    await fs.rm(root, { recursive: true, force: true });
  });

  test('when a client route is asked for, then index.html comes with the CSP and no caching', async () => {
    for (const url of ['/', '/board', '/applications/123?x=1']) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 200, url);
      assert.match(res.headers['content-type'] as string, /text\/html/);
      assert.equal(res.headers['content-security-policy'], CONTENT_SECURITY_POLICY);
      assert.equal(res.headers['cache-control'], 'no-cache');
    }
    assert.doesNotMatch(CONTENT_SECURITY_POLICY, /unsafe-inline|unsafe-eval|https?:/);
  });

  test('when a hashed asset is asked for, then it is cached for a year as immutable', async () => {
    const res = await app.inject({ url: '/assets/index-abc123.js' });
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable');
  });

  test('when a server path or a missing asset is asked for, then the JSON 404, never the app', async () => {
    for (const url of [
      '/api/v1/nope',
      '/api',
      '/docs/x',
      '/openapi.json',
      '/metrics',
      '/healthz',
      '/readyz',
      '/assets/gone.js',
    ]) {
      const res = await app.inject({ url });
      assert.equal(res.statusCode, 404, url);
      assert.deepEqual(res.json(), { error: { code: 'not_found' } }, url);
    }
    assert.equal((await app.inject({ url: '/api/v1/known' })).statusCode, 200);
  });

  test('when there is no build, then / says how to build it', async () => {
    const bare = Fastify();
    await registerWebApp(bare, path.join(root, 'missing/'));
    const res = await bare.inject({ url: '/' });
    assert.equal(res.statusCode, 200);
    assert.match(res.body, /npm start/);
    await bare.close();
  });
});

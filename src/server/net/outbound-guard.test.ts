import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import { gzipSync } from 'node:zlib';
import { after, before, describe, test } from 'node:test';
import {
  fakeResolver,
  html,
  startCanary,
  startFixtureServer,
  type Canary,
  type FixtureServer,
} from '../../../test/helpers/outbound.ts';
import { AppError } from '../http/errors.ts';
import { deniedReason } from './address-policy.ts';
import { checkTarget, type OutboundOptions } from './outbound-guard.ts';
import { safeFetch } from './safe-fetch.ts';

const isHtml = (t: string) => t === 'text/html';
const page = '<!doctype html><title>ok</title><p>fixture</p>';

describe('address policy', () => {
  test('when an address is private, loopback, link-local, multicast, unspecified or reserved, then it is denied', () => {
    for (const a of [
      '127.0.0.1',
      '127.255.255.254',
      '0.0.0.0',
      '10.1.2.3',
      '172.16.0.1',
      '172.31.255.255',
      '192.168.0.1',
      '169.254.169.254',
      '100.64.0.1',
      '224.0.0.251',
      '255.255.255.255',
      '198.18.0.1',
      '::1',
      '::',
      'fe80::1',
      'fc00::1',
      'fd12:3456::1',
      'ff02::1',
      '::ffff:127.0.0.1',
      '::ffff:7f00:1',
      '::ffff:169.254.169.254',
      '::127.0.0.1',
      '64:ff9b::7f00:1',
      '64:ff9b::a9fe:a9fe',
      '64:ff9b:1::1',
      '2002:7f00:1::1',
      '2002:c0a8:101::1',
      '2001::1',
      '2001:db8::1',
    ]) {
      assert.ok(deniedReason(a), `${a} must be denied`);
    }
  });

  test('when an address is public unicast, then it is allowed, including NAT64 and 6to4 of public IPv4', () => {
    for (const a of [
      '8.8.8.8',
      '1.1.1.1',
      '172.32.0.1',
      '192.169.0.1',
      '2606:4700:4700::1111',
      '2a00:1450::1',
      '64:ff9b::808:808',
      '2002:808:808::1',
    ]) {
      assert.equal(deniedReason(a), undefined, a);
    }
  });
});

describe('outbound guard and safe fetch', () => {
  let canary: Canary;
  let fixtures: FixtureServer;
  let opts: OutboundOptions;
  // Every client socket this process opens: refused requests must open none.
  let sockets = 0;
  const onSocket = () => (sockets += 1);

  before(async () => {
    canary = await startCanary();
    fixtures = await startFixtureServer({
      '/page': html(page),
      '/to-canary': (_q, r) =>
        r.writeHead(302, { location: `http://127.0.0.1:${canary.port}/` }).end(),
      '/to-localhost': (_q, r) =>
        r.writeHead(301, { location: `http://localhost:${canary.port}/x` }).end(),
      '/to-metadata': (_q, r) =>
        r.writeHead(307, { location: 'http://169.254.169.254/latest/meta-data/' }).end(),
      '/to-file': (_q, r) => r.writeHead(302, { location: 'file:///etc/passwd' }).end(),
      '/loop': (_q, r) => r.writeHead(302, { location: '/loop' }).end(),
      '/relative': (_q, r) => r.writeHead(302, { location: '/page' }).end(),
      '/pdf': (_q, r) => r.writeHead(200, { 'content-type': 'application/pdf' }).end('%PDF-1.7'),
      '/huge': (_q, r) => {
        r.writeHead(200, { 'content-type': 'text/html' });
        const chunk = Buffer.alloc(1024 * 1024, 'a');
        let sent = 0;
        const more = () => {
          while (sent < 50 && r.write(chunk)) sent += 1;
          if (sent >= 50) r.end();
        };
        r.on('drain', () => {
          sent += 1;
          more();
        });
        r.on('error', () => {});
        more();
      },
      '/huge-declared': (_q, r) =>
        r.writeHead(200, { 'content-type': 'text/html', 'content-length': String(50 << 20) }).end(),
      '/gzip-bomb': (_q, r) =>
        r
          .writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' })
          .end(gzipSync(Buffer.alloc(50 << 20))),
      '/gzip': (_q, r) =>
        r
          .writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' })
          .end(gzipSync(page)),
      '/drip': (_q, r) => {
        r.writeHead(200, { 'content-type': 'text/html' });
        const t = setInterval(() => r.write('.'), 50);
        r.on('close', () => clearInterval(t));
      },
      '/silent': () => {},
    });
    opts = {
      allowedTargets: [{ address: '127.0.0.1', port: fixtures.port }],
      resolve: fakeResolver({
        'rebind.test': ['127.0.0.1'],
        'mixed.test': ['93.184.215.14', '10.0.0.7'],
        'metadata.test': ['169.254.169.254'],
        localhost: ['127.0.0.1', '::1'],
      }),
      timeoutMs: 600,
    };
    diagnostics.subscribe('net.client.socket', onSocket);
  });
  after(async () => {
    diagnostics.unsubscribe('net.client.socket', onSocket);
    await fixtures.close();
    await canary.close();
  });

  const refusedWith = async (url: string, code: string, o: OutboundOptions = opts) => {
    await assert.rejects(
      safeFetch(url, { ...o, accept: isHtml, expected: 'an HTML page' }),
      (err: unknown) => {
        assert.ok(err instanceof AppError, `${url}: ${String(err)}`);
        assert.equal(err.code, code, `${url}: ${err.message}`);
        assert.ok(err.status >= 400 && err.status < 500);
        return true;
      },
    );
  };

  test('when the address is special in any spelling, then it is refused before any connection is made', async () => {
    const c = canary.port;
    const before = sockets;
    for (const url of [
      `http://127.0.0.1:${c}/`,
      `http://127.1:${c}/`,
      `http://2130706433:${c}/`,
      `http://0x7f000001:${c}/`,
      `http://0177.0.0.1:${c}/`,
      `http://localhost:${c}/`,
      `http://LOCALHOST.:${c}/`,
      `http://[::1]:${c}/`,
      `http://[::ffff:127.0.0.1]:${c}/`,
      `http://[::ffff:7f00:1]:${c}/`,
      `http://[64:ff9b::127.0.0.1]:${c}/`,
      `http://[::]:${c}/`,
      `http://0.0.0.0:${c}/`,
      `http://0:${c}/`,
      'http://169.254.169.254/latest/meta-data/',
      'http://2852039166/',
      'http://0xA9FEA9FE/',
      'http://0xa9.0xfe.0xa9.0xfe/',
      'http://0251.0376.0251.0376/',
      'http://169.254.43518/',
      'http://[::ffff:169.254.169.254]/',
      'http://[fe80::1]/',
      'http://[fd00::1]/',
      'http://10.0.0.1/',
      'http://10.255.255.255:8080/',
      'http://172.16.0.1/',
      'http://172.31.255.255/',
      'http://192.168.0.1/',
      'http://192.168.255.255/',
      'http://100.64.0.1/',
      'http://224.0.0.1/',
      'http://255.255.255.255/',
      `http://rebind.test:${c}/`,
      'http://mixed.test/',
      'http://metadata.test/',
      'https://user:pw@rebind.test/',
      `file:///etc/passwd`,
      `gopher://127.0.0.1:${c}/_GET`,
      'ftp://127.0.0.1/',
      'javascript:alert(1)',
      'data:text/html,hello',
    ]) {
      await refusedWith(url, 'address_not_allowed');
    }
    await refusedWith('http://no-such-host.test/', 'url_unreachable');
    assert.equal(sockets, before, 'no socket was opened');
    assert.equal(canary.connections, 0);
  });

  test('when the system resolver names localhost, then it is refused too', async () => {
    const { resolve: _fake, ...withSystemDns } = opts;
    await refusedWith(`http://localhost:${canary.port}/`, 'address_not_allowed', withSystemDns);
    assert.equal(canary.connections, 0);
  });

  test('when an allowed page redirects to a refused address, then the redirect is refused', async () => {
    for (const path of ['/to-canary', '/to-localhost', '/to-metadata', '/to-file']) {
      await refusedWith(fixtures.url(path), 'address_not_allowed');
    }
    await refusedWith(fixtures.url('/loop'), 'too_many_redirects');
    assert.equal(canary.connections, 0);
  });

  test('when the allowed fixture port is used, then only that exact port is allowed', async () => {
    const socketsBefore = sockets;
    const got = await safeFetch(fixtures.url('/relative'), {
      ...opts,
      accept: isHtml,
      expected: 'an HTML page',
    });
    assert.equal(got.url, fixtures.url('/page'));
    assert.equal(got.body.toString(), page);
    assert.equal(got.charset, 'utf-8');
    assert.ok(sockets > socketsBefore, 'the socket counter sees real connections');
    const unzipped = await safeFetch(fixtures.url('/gzip'), {
      ...opts,
      accept: isHtml,
      expected: 'an HTML page',
    });
    assert.equal(unzipped.body.toString(), page);
    await refusedWith(`http://127.0.0.1:${canary.port}/page`, 'address_not_allowed');
  });

  test('when a body is too large, slow or not HTML, then it is cut off with a clear error', async () => {
    const started = Date.now();
    await refusedWith(fixtures.url('/huge'), 'response_too_large');
    await refusedWith(fixtures.url('/huge-declared'), 'response_too_large');
    await refusedWith(fixtures.url('/gzip-bomb'), 'response_too_large');
    await refusedWith(fixtures.url('/drip'), 'url_timeout');
    await refusedWith(fixtures.url('/silent'), 'url_timeout');
    await refusedWith(fixtures.url('/pdf'), 'unsupported_content_type');
    await refusedWith(fixtures.url('/nothing-here'), 'url_unreachable');
    assert.ok(Date.now() - started < 5000, 'the deadlines held');
  });

  test('when the operator allows private addresses, then loopback is fetched', async () => {
    const got = await checkTarget(`http://127.0.0.1:${canary.port}/`, {
      allowPrivateAddresses: true,
    });
    assert.equal(got.address, '127.0.0.1');
    const lan = await checkTarget('http://192.168.1.20:11434/v1', { allowPrivateAddresses: true });
    assert.equal(lan.address, '192.168.1.20');
  });

  test('when the operator allows private addresses, then cloud metadata and link-local stay refused', async () => {
    for (const url of [
      'http://169.254.169.254/latest/meta-data/',
      'http://2852039166/', // 169.254.169.254 as one decimal number
      'http://[::ffff:169.254.169.254]/',
      'http://[fe80::1]/',
      'http://[fd00:ec2::254]/',
      'http://100.100.100.200/',
      'http://0.0.0.0/',
    ]) {
      await assert.rejects(
        checkTarget(url, { allowPrivateAddresses: true }),
        (err: AppError) => err.code === 'address_not_allowed',
        url,
      );
    }
  });

  test('when the URL is not a URL, then the error says so', async () => {
    await refusedWith('not a url', 'invalid_url');
  });
});

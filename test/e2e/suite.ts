import { after, before } from 'node:test';
import type { Browser } from 'playwright-core';
import { startTestServer, type TestServer } from '../helpers/server.ts';
import { launchBrowser, openPage, type PageWatch } from './browser.ts';
import { ensureWebBuild } from './web-build.ts';

export interface BrowserSuite {
  /** The Job Forge server (set once before() has run). */
  readonly server: TestServer;
  /** A new browser context on the server, watching console errors, dialogs and requests. */
  open(viewport?: { width: number; height: number }): Promise<PageWatch>;
}

/**
 * The hooks every browser test file needs: the built web app, a real server on a fresh
 * embedded database, and Debian's Chromium; closed after the file's tests.
 */
export function browserSuite(env: Record<string, string> = {}): BrowserSuite {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  before(async () => {
    await ensureWebBuild();
    server = await startTestServer('pglite', env);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.stop();
  });
  const started = () => {
    if (!server || !browser) throw new Error('browserSuite: used before its before() hook ran');
    return { server, browser };
  };
  return {
    get server() {
      return started().server;
    },
    open: (viewport) => {
      const { server: s, browser: b } = started();
      return openPage(b, s.url, viewport);
    },
  };
}

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * The browser tests serve the built app. scripts/test.js builds it before any test starts (so no
 * server sees a half-written dist/web); this covers running one browser test file directly.
 */
export async function ensureWebBuild(): Promise<void> {
  await promisify(execFile)(process.execPath, ['scripts/build-web.js', '--if-stale']);
}

import fs from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { loadClientConfig } from '../server/config.ts';
import { withLocalWorkspace } from './local-workspace.ts';
import { readPassword } from './password.ts';
import { RemoteWorkspace } from './remote-workspace.ts';
import type { Workspace } from './workspace.ts';

export interface TargetOptions {
  server?: string;
  email?: string;
  user?: string;
  output?: string;
}

/** The options every command that works on one user's data shares: where, as whom, to what. */
export function addTargetOptions(cmd: Command): Command {
  return cmd
    .option(
      '--server <url>',
      'work on a running server through its API (default: JOBFORGE_SERVER_URL); without it, on the local database',
    )
    .option(
      '--email <email>',
      'with --server: the account to sign in as (default: JOBFORGE_EMAIL); the password comes from JOBFORGE_PASSWORD, else stdin, else a prompt',
    )
    .option(
      '--user <email>',
      'without --server: the account to work as in the local database (default: the only one)',
    );
}

/**
 * Runs `fn` on the workspace the options name: a running server (signed in, signed out after) or
 * the local data directory (refused while a server holds it, with a hint to use --server).
 */
export async function withWorkspace<T>(
  opts: TargetOptions,
  fn: (ws: Workspace) => Promise<T>,
  local: { ownerOf?: string } = {},
): Promise<T> {
  const client = loadClientConfig();
  const server = opts.server ?? client.serverUrl;
  if (server !== undefined) {
    if (opts.user !== undefined) {
      throw new Error('--user names an account in the local database; with --server, use --email.');
    }
    const email = opts.email ?? client.email;
    if (!email) {
      throw new Error('Which account? Give --email <email> or set JOBFORGE_EMAIL.');
    }
    const password = client.password ?? (await readPassword(`Password for ${email}: `));
    const ws = await RemoteWorkspace.signIn(server, email, password);
    try {
      return await fn(ws);
    } finally {
      await ws.close();
    }
  }
  if (opts.email !== undefined) {
    throw new Error(
      '--email signs in to a server: add --server <url>, or use --user <email> for the local database.',
    );
  }
  return withLocalWorkspace(opts.user, fn, local);
}

/**
 * Writes a command's result to `--output <file>` or, without it (or with "-"), to stdout. Returns
 * the file written, or undefined for stdout. Binary files are not sent to a terminal.
 */
export async function writeOutput(
  data: string | Buffer,
  output: string | undefined,
): Promise<string | undefined> {
  if (output === undefined || output === '-') {
    if (Buffer.isBuffer(data) && process.stdout.isTTY) {
      throw new Error('That file is binary: give --output <file> (or pipe the output).');
    }
    await new Promise<void>((resolve, reject) =>
      process.stdout.write(data, (err) => (err ? reject(err) : resolve())),
    );
    return undefined;
  }
  const target = path.resolve(output);
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.writeFile(target, data);
  return target;
}

/**
 * A one-line report of what happened. When the result itself went to stdout, reports go to
 * stderr so that `jobforge … > file` gets only the result.
 */
export function report(message: string, resultOnStdout: boolean): void {
  if (resultOnStdout) console.error(message);
  else console.log(message);
}

import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Config } from '../../src/server/config.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(ROOT, 'bin/jobforge.js');

export interface JobforgeProcess {
  child: ChildProcess;
  /** stdout and stderr so far, interleaved as they arrived. */
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the match once `re` has matched `count` times in the output. */
  waitFor(re: RegExp, opts?: { count?: number; timeoutMs?: number }): Promise<RegExpExecArray>;
}

/** The environment variables that point Job Forge at the database a test config describes. */
export function databaseEnv(config: Config): Record<string, string> {
  return config.database.kind === 'pglite'
    ? { JOBFORGE_DATA_DIR: config.database.dataDir }
    : {
        DATABASE_URL: config.database.url,
        JOBFORGE_MIGRATION_DATABASE_URL: config.database.migrationUrl,
        JOBFORGE_DATA_DIR: config.dataDir,
      };
}

/**
 * `node bin/jobforge.js …` as a real child process. Database variables of the test runner's
 * environment are blanked (an empty value means unset), so only `env` chooses the database.
 */
export function spawnJobforge(args: string[], env: Record<string, string>): JobforgeProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: 'test',
      DATABASE_URL: '',
      JOBFORGE_MIGRATION_DATABASE_URL: '',
      JOBFORGE_DATA_DIR: '',
      JOBFORGE_SECRET: '',
      PORT: '0',
      JOBFORGE_LOG_LEVEL: 'info',
      JOBFORGE_LOG_FORMAT: 'json',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const listeners = new Set<() => void>();
  const append = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const l of listeners) l();
  };
  child.stdout.on('data', append);
  child.stderr.on('data', append);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    // 'close' rather than 'exit': it comes after the last output.
    child.on('close', (code, signal) => resolve({ code, signal })),
  );
  return {
    child,
    output: () => output,
    exited,
    waitFor(re, { count = 1, timeoutMs = 30_000 } = {}) {
      const global = new RegExp(re.source, re.flags.includes('g') ? re.flags : `${re.flags}g`);
      const find = () => {
        const matches = [...output.matchAll(global)];
        return matches.length >= count ? (matches[count - 1] as RegExpExecArray) : undefined;
      };
      return new Promise((resolve, reject) => {
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        const check = () => {
          const m = find();
          if (m) {
            done();
            resolve(m);
          }
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`timed out waiting for ${re} in:\n${output}`));
        }, timeoutMs);
        listeners.add(check);
        void exited.then(() => {
          if (!find()) {
            done();
            reject(new Error(`jobforge exited before ${re} appeared:\n${output}`));
          }
        });
        check();
      });
    },
  };
}

/** Runs a command to completion. */
export async function runJobforge(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number | null; output: string }> {
  const p = spawnJobforge(args, env);
  const { code } = await p.exited;
  return { code, output: p.output() };
}

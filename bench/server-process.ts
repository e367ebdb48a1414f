import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { deferCleanup } from './cleanup.ts';
import { cpuSecondsOf, memoryOf } from './proc.ts';

const BIN = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../bin/jobforge.js');
const READY_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 15_000;

/** Every child still running: SIGKILLed when the bench exits, as a last resort. */
const live = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export interface ServerProcess {
  pid: number;
  url: string;
  cpuSeconds(): number;
  memory(): { rssMb?: number; peakMb?: number };
  /** SIGTERM (clean shutdown: the PGlite directory is closed and unlocked), SIGKILL if stuck. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Only what the server needs: a stray DATABASE_URL in the shell must not leak into a run. */
function childEnv(env: Record<string, string>): NodeJS.ProcessEnv {
  const keep = ['PATH', 'HOME', 'TMPDIR', 'LANG'];
  const base = Object.fromEntries(
    keep.flatMap((k) => (process.env[k] ? [[k, process.env[k]]] : [])),
  );
  return { ...base, ...env };
}

async function waitReady(url: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`the server exited during start-up:\n${output()}`);
    }
    try {
      const res = await fetch(`${url}/readyz`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the server was not ready after ${READY_TIMEOUT_MS / 1000} s:\n${output()}`);
}

function waitExit(child: ChildProcess, ms: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

/** `node bin/jobforge.js serve` as a child process, on a free port, ready when this resolves. */
export async function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: childEnv({ ...env, PORT: String(port), HOST: '127.0.0.1' }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let tail = '';
  const keep = (chunk: Buffer) => {
    tail = (tail + chunk.toString('utf8')).slice(-4000);
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const url = `http://127.0.0.1:${port}`;
  const pid = child.pid ?? -1;
  const stop = deferCleanup(async () => {
    child.kill('SIGTERM');
    if (!(await waitExit(child, STOP_TIMEOUT_MS))) {
      child.kill('SIGKILL');
      await waitExit(child, STOP_TIMEOUT_MS);
    }
  });
  try {
    await waitReady(url, child, () => tail);
  } catch (err) {
    await stop();
    throw err;
  }
  return {
    pid,
    url,
    cpuSeconds: () => cpuSecondsOf(pid),
    memory: () => memoryOf(pid),
    stop,
  };
}

import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export class DataDirLockedError extends Error {
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `The data directory ${dir} is in use by another Job Forge process (pid ${pid}). ` +
        'Only one process may open the embedded database: stop the other process first, ' +
        'or point JOBFORGE_DATA_DIR at another directory.',
    );
    this.name = 'DataDirLockedError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the embedded data directory for this process. Two PGlite processes on one directory
 * corrupt it without any error, so a second opener must fail loudly. The lock is a file created
 * with O_EXCL holding our pid; a lock left by a dead process (kill -9, power cut) is taken over.
 */
export async function acquireDataDirLock(dataDir: string): Promise<() => Promise<void>> {
  const dir = path.resolve(dataDir);
  await fs.mkdir(dir, { recursive: true });
  const file = path.join(dir, 'jobforge.lock');
  const body = JSON.stringify({ pid: process.pid, host: os.hostname(), since: new Date() });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await fs.writeFile(file, body, { flag: 'wx' });
      return async () => {
        const current = await fs.readFile(file, 'utf8').catch(() => '');
        if (current === body) await fs.rm(file, { force: true });
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    let holder: { pid?: unknown; host?: unknown } = {};
    try {
      holder = JSON.parse(await fs.readFile(file, 'utf8')) as typeof holder;
    } catch {
      // Unreadable or half-written: treat as stale only if it stays so.
    }
    const pid = typeof holder.pid === 'number' ? holder.pid : undefined;
    if (pid !== undefined && (holder.host !== os.hostname() || alive(pid)) && pid !== process.pid) {
      throw new DataDirLockedError(dir, pid);
    }
    if (pid === process.pid) throw new DataDirLockedError(dir, pid);
    await fs.rm(file, { force: true });
  }
  throw new Error(`Could not lock the data directory ${dir}`);
}

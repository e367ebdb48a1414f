import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';

/** Facts read from /proc: memory and CPU time of a process, busy time of the machine. */

function statusField(pid: number, field: 'VmRSS' | 'VmHWM'): number | undefined {
  try {
    const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(
      fs.readFileSync(`/proc/${pid}/status`, 'utf8'),
    );
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined; // not Linux, or the process is gone
  }
}

/** Resident memory now and at its peak, in MiB. */
export function memoryOf(pid: number): { rssMb?: number; peakMb?: number } {
  return { rssMb: statusField(pid, 'VmRSS'), peakMb: statusField(pid, 'VmHWM') };
}

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  try {
    clockTicks ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  } catch {
    clockTicks = 100;
  }
  return clockTicks;
}

/** User + system CPU seconds a process has used so far. */
export function cpuSecondsOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name is in parentheses and may hold spaces: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond();
  } catch {
    return Number.NaN;
  }
}

export interface MachineCpu {
  busy: number;
  total: number;
}

export function machineCpu(): MachineCpu {
  try {
    const line = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const v = line.trim().split(/\s+/).slice(1).map(Number);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    const total = v.slice(0, 8).reduce((s, x) => s + x, 0);
    return { busy: total - idle, total };
  } catch {
    return { busy: Number.NaN, total: Number.NaN };
  }
}

/** Share of all cores busy between two samples, in % (100 = every core busy). */
export const busyPercent = (a: MachineCpu, b: MachineCpu) =>
  ((b.busy - a.busy) / (b.total - a.total)) * 100;

export interface MachineFacts {
  cores: number;
  cpuModel: string;
  memoryGb: number;
  node: string;
  kernel: string;
}

export function machineFacts(): MachineFacts {
  let cpuModel = os.cpus()[0]?.model ?? 'unknown';
  try {
    const m = /^model name\s*:(.+)$/m.exec(fs.readFileSync('/proc/cpuinfo', 'utf8'));
    if (m?.[1]) cpuModel = m[1].trim();
  } catch {
    // keep os.cpus()'s answer
  }
  return {
    cores: os.availableParallelism(),
    cpuModel,
    memoryGb: os.totalmem() / 1024 ** 3,
    node: process.version,
    kernel: `${os.type()} ${os.release()}`,
  };
}

/**
 * CPU seconds used so far by the PostgreSQL backends serving one database, found by their
 * process title ("postgres: 15/main: <user> <database> <client> <state>"). Backends that exit
 * mid-window take their time with them: an approximation, fine for where-the-time-goes.
 */
export function backendsCpuSeconds(database: string): number {
  let total = 0;
  let entries: string[] = [];
  try {
    entries = fs.readdirSync('/proc').filter((e) => /^\d+$/.test(e));
  } catch {
    return Number.NaN;
  }
  const ours = new RegExp(`^postgres: .* ${database}(\\s|\\0|$)`);
  for (const pid of entries) {
    try {
      if (ours.test(fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8'))) {
        const seconds = cpuSecondsOf(Number(pid));
        if (Number.isFinite(seconds)) total += seconds;
      }
    } catch {
      // exited while we looked
    }
  }
  return total;
}

export interface CpuSample {
  at: number;
  machine: MachineCpu;
  self: NodeJS.CpuUsage;
  server: number;
  backends: number;
}

/** Who used the CPU over a window, each in % of one core (200 = two cores busy). */
export interface CpuShares {
  /** The Job Forge server child (HTTP runs only). */
  server?: number;
  /** This process: the load generator, or the driver and PGlite itself. */
  bench: number;
  /** PostgreSQL backends of the bench database (server runs only). */
  backends?: number;
  /** Everything else on the machine: another job running here makes the figures low. */
  other: number;
}

export function sampleCpu(who: { serverPid?: number; database?: string }): CpuSample {
  return {
    at: performance.now(),
    machine: machineCpu(),
    self: process.cpuUsage(),
    server: who.serverPid === undefined ? Number.NaN : cpuSecondsOf(who.serverPid),
    backends: who.database === undefined ? Number.NaN : backendsCpuSeconds(who.database),
  };
}

export function cpuShares(a: CpuSample, b: CpuSample, cores: number): CpuShares {
  const seconds = (b.at - a.at) / 1000;
  const pct = (cpuSeconds: number) => (cpuSeconds / seconds) * 100;
  const self = b.self.user + b.self.system - (a.self.user + a.self.system);
  const shares = {
    server: Number.isNaN(a.server) ? undefined : pct(b.server - a.server),
    bench: pct(self / 1e6),
    backends: Number.isNaN(a.backends) ? undefined : pct(b.backends - a.backends),
  };
  const machine = busyPercent(a.machine, b.machine) * cores;
  const known = shares.bench + (shares.server ?? 0) + (shares.backends ?? 0);
  return { ...shares, other: Math.max(0, machine - known) };
}

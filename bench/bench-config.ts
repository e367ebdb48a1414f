import { z } from 'zod';
import type { DbKind } from './databases.ts';

/**
 * The bench's settings: the one reader of process.env under bench/, as config.ts is for the app.
 * Defaults are the documented run (about 4 minutes on 2 cores); smaller values make a smoke run.
 */
const schema = z.object({
  BENCH_SECONDS: z.coerce.number().positive().default(10),
  BENCH_WARMUP_SECONDS: z.coerce.number().min(0).default(2),
  BENCH_CONNECTIONS: z.coerce.number().int().min(1).max(200).default(10),
  BENCH_USERS: z.coerce.number().int().min(1).default(1000),
  BENCH_APPLICATIONS_PER_USER: z.coerce.number().int().min(5).default(50),
  BENCH_DATABASES: z
    .string()
    .default('pglite,postgres')
    .transform((s) => s.split(',').map((k) => k.trim()))
    .pipe(z.array(z.enum(['pglite', 'postgres'])).min(1)),
  BENCH_PG_OWNER_URL: z.string().default('postgres://jobforge_owner:jobforge@127.0.0.1:5432'),
  BENCH_PG_RUNTIME_URL: z.string().default('postgres://jobforge_runtime:jobforge@127.0.0.1:5432'),
  BENCH_GENERATION_JOBS: z.coerce.number().int().min(1).default(30),
  BENCH_GENERATION_PIPELINE_JOBS: z.coerce.number().int().min(1).default(5),
  BENCH_GENERATION_FOLLOWERS: z
    .string()
    .default('0,10,25,50')
    .transform((s) => s.split(',').map((n) => Number(n.trim())))
    .pipe(z.array(z.number().int().min(0).max(1000)).min(1)),
  BENCH_WRITE_DOCS: z
    .enum(['true', 'false'])
    .default('true')
    .transform((v) => v === 'true'),
});

export interface BenchConfig {
  seconds: number;
  warmupSeconds: number;
  connections: number;
  users: number;
  applicationsPerUser: number;
  databases: DbKind[];
  postgres: { owner: string; runtime: string };
  writeDocs: boolean;
  /** `npm run bench -- generation` (bench/generation.bench.ts). */
  generation: { jobs: number; pipelineJobs: number; followers: number[] };
}

export function loadBenchConfig(env: NodeJS.ProcessEnv = process.env): BenchConfig {
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== ''));
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `  - ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid bench settings:\n${problems.join('\n')}`);
  }
  const e = parsed.data;
  return {
    seconds: e.BENCH_SECONDS,
    warmupSeconds: e.BENCH_WARMUP_SECONDS,
    connections: e.BENCH_CONNECTIONS,
    users: e.BENCH_USERS,
    applicationsPerUser: e.BENCH_APPLICATIONS_PER_USER,
    databases: [...new Set(e.BENCH_DATABASES)],
    postgres: {
      owner: e.BENCH_PG_OWNER_URL.replace(/(?<!\/)\/+$/, ''),
      runtime: e.BENCH_PG_RUNTIME_URL.replace(/(?<!\/)\/+$/, ''),
    },
    writeDocs: e.BENCH_WRITE_DOCS,
    generation: {
      jobs: e.BENCH_GENERATION_JOBS,
      pipelineJobs: e.BENCH_GENERATION_PIPELINE_JOBS,
      followers: e.BENCH_GENERATION_FOLLOWERS,
    },
  };
}

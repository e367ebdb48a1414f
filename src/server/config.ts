import { z } from 'zod';

/**
 * The one reader of process.env. Every variable Job Forge understands is declared here,
 * documented in docs/configuration.md, and parsed once at start-up.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const postgresUrl = z
  .string()
  .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must start with postgres:// or postgresql://');

const schema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8000),
  HOST: z.string().min(1).default('127.0.0.1'),
  DATABASE_URL: postgresUrl.optional(),
  JOBFORGE_MIGRATION_DATABASE_URL: postgresUrl.optional(),
  JOBFORGE_DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  JOBFORGE_DATA_DIR: z.string().min(1).default('./data'),
  JOBFORGE_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  JOBFORGE_ACCESS_TOKEN_TTL: z.coerce.number().int().min(10).max(86_400).default(900),
  JOBFORGE_REFRESH_TOKEN_TTL: z.coerce
    .number()
    .int()
    .min(60)
    .max(365 * 86_400)
    .default(30 * 86_400),
  JOBFORGE_LOGIN_MAX_FAILURES_PER_ACCOUNT: z.coerce.number().int().min(1).default(5),
  JOBFORGE_LOGIN_MAX_FAILURES_PER_ADDRESS: z.coerce.number().int().min(1).default(30),
  JOBFORGE_LOGIN_WINDOW_SECONDS: z.coerce.number().int().min(1).default(900),
  JOBFORGE_TRUST_PROXY: bool.default(false),
  JOBFORGE_COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  JOBFORGE_LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  JOBFORGE_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
});

export type RawConfig = z.infer<typeof schema>;

export interface Config {
  port: number;
  host: string;
  database:
    | { kind: 'pglite'; dataDir: string }
    | { kind: 'postgres'; url: string; migrationUrl: string; poolSize: number };
  dataDir: string;
  /** Unset means: generate once and keep it in the data directory (see secret.ts). */
  secret: string | undefined;
  accessTokenTtl: number;
  refreshTokenTtl: number;
  login: { maxFailuresPerAccount: number; maxFailuresPerAddress: number; windowSeconds: number };
  trustProxy: boolean;
  cookieSecure: 'auto' | boolean;
  logLevel: RawConfig['JOBFORGE_LOG_LEVEL'];
  /** auto: readable lines on a terminal, JSON lines otherwise (log collectors). */
  logFormat: RawConfig['JOBFORGE_LOG_FORMAT'];
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; throws ConfigError listing every bad variable at once. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings mean "unset" (a common result of `FOO= npm start`).
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = schema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`),
    );
  }
  const e = parsed.data;
  return {
    port: e.PORT,
    host: e.HOST,
    database: e.DATABASE_URL
      ? {
          kind: 'postgres',
          url: e.DATABASE_URL,
          migrationUrl: e.JOBFORGE_MIGRATION_DATABASE_URL ?? e.DATABASE_URL,
          poolSize: e.JOBFORGE_DATABASE_POOL_SIZE,
        }
      : { kind: 'pglite', dataDir: e.JOBFORGE_DATA_DIR },
    dataDir: e.JOBFORGE_DATA_DIR,
    secret: e.JOBFORGE_SECRET,
    accessTokenTtl: e.JOBFORGE_ACCESS_TOKEN_TTL,
    refreshTokenTtl: e.JOBFORGE_REFRESH_TOKEN_TTL,
    login: {
      maxFailuresPerAccount: e.JOBFORGE_LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerAddress: e.JOBFORGE_LOGIN_MAX_FAILURES_PER_ADDRESS,
      windowSeconds: e.JOBFORGE_LOGIN_WINDOW_SECONDS,
    },
    trustProxy: e.JOBFORGE_TRUST_PROXY,
    cookieSecure:
      e.JOBFORGE_COOKIE_SECURE === 'auto' ? 'auto' : e.JOBFORGE_COOKIE_SECURE === 'true',
    logLevel: e.JOBFORGE_LOG_LEVEL,
    logFormat: e.JOBFORGE_LOG_FORMAT,
  };
}

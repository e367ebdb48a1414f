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
  JOBFORGE_DATABASE_CONNECT_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
  JOBFORGE_STATEMENT_TIMEOUT_MS: z.coerce.number().int().min(0).max(3_600_000).default(15_000),
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
  JOBFORGE_REGISTRATIONS_PER_ADDRESS_PER_HOUR: z.coerce.number().int().min(0).default(20),
  JOBFORGE_REFRESH_REUSE_GRACE_SECONDS: z.coerce.number().int().min(0).max(10).default(10),
  JOBFORGE_TRUST_PROXY: z
    .string()
    .transform((v, ctx) => {
      const trust = parseTrustProxy(v);
      if (typeof trust === 'string') {
        ctx.addIssue({ code: 'custom', message: trust });
        return z.NEVER;
      }
      return trust;
    })
    .default(false),
  JOBFORGE_METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  JOBFORGE_COOKIE_SECURE: z.enum(['auto', 'true', 'false']).default('auto'),
  JOBFORGE_LOG_FORMAT: z.enum(['auto', 'json', 'pretty']).default('auto'),
  JOBFORGE_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
    .default('info'),
  JOBFORGE_LLM_PROVIDER: z.enum(['offline', 'anthropic', 'openai', 'openai-compatible']).optional(),
  JOBFORGE_LLM_MODEL: z.string().max(200).optional(),
  JOBFORGE_LLM_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
  ANTHROPIC_API_KEY: z.string().optional(),
  OPENAI_API_KEY: z.string().optional(),
  JOBFORGE_LLM_TIMEOUT_SECONDS: z.coerce.number().min(0.05).max(3600).default(120),
  JOBFORGE_LLM_MAX_OUTPUT_TOKENS: z.coerce.number().int().min(64).max(200_000).default(4096),
  JOBFORGE_LLM_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(4),
  JOBFORGE_LLM_RETRY_BASE_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  JOBFORGE_LLM_RETRY_MAX_MS: z.coerce.number().int().min(0).max(600_000).default(60_000),
  JOBFORGE_OFFLINE_CHUNK_DELAY_MS: z.coerce.number().int().min(0).max(1000).default(15),
  JOBFORGE_LLM_IDLE_TIMEOUT_MS: z.coerce.number().int().min(10).max(3_600_000).default(60_000),
  JOBFORGE_LLM_PRICE_PER_MTOK: z
    .string()
    .transform((v, ctx) => {
      const prices = parsePrices(v);
      if (typeof prices === 'string') {
        ctx.addIssue({ code: 'custom', message: prices });
        return z.NEVER;
      }
      return prices;
    })
    .optional(),
  JOBFORGE_DAILY_TOKEN_BUDGET: z.coerce.number().int().min(0).default(0),
  JOBFORGE_WORKER_ENABLED: bool.default(true),
  JOBFORGE_WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(32).default(2),
  JOBFORGE_WORKER_POLL_MS: z.coerce.number().int().min(10).max(60_000).default(1000),
  JOBFORGE_JOB_LEASE_SECONDS: z.coerce.number().min(0.2).max(3600).default(30),
  JOBFORGE_JOB_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(10).default(3),
  JOBFORGE_JOB_TIMEOUT_SECONDS: z.coerce.number().min(1).default(900),
  JOBFORGE_MAX_RUNNING_JOBS_PER_USER: z.coerce.number().int().min(1).max(32).default(1),
  JOBFORGE_MAX_ACTIVE_JOBS_PER_USER: z.coerce.number().int().min(1).max(1000).default(10),
  JOBFORGE_ALLOW_PRIVATE_URLS: bool.default(false),
  JOBFORGE_COMPUTE_THREADS: z.coerce.number().int().min(1).max(256).optional(),
  JOBFORGE_COMPUTE_TIMEOUT_MS: z.coerce.number().int().min(1).max(600_000).default(20_000),
  JOBFORGE_COMPUTE_HEAP_MB: z.coerce.number().int().min(16).max(16_384).default(256),
  JOBFORGE_EMBEDDING_PROVIDER: z
    .enum(['lexical', 'openai', 'openai-compatible'])
    .default('lexical'),
  JOBFORGE_EMBEDDING_MODEL: z.string().max(200).optional(),
  JOBFORGE_EMBEDDING_BASE_URL: z.url({ protocol: /^https?$/ }).optional(),
});

/**
 * Which peers may tell Job Forge the client's address and scheme (X-Forwarded-For/-Proto):
 * false (none), a number of proxy hops in front, or the proxies' addresses / CIDR ranges.
 */
export type TrustProxy = false | number | string[];

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

/**
 * `JOBFORGE_TRUST_PROXY`: "false"/"0" (none), a hop count ("1" for one reverse proxy), or a
 * comma-separated list of proxy addresses and CIDR ranges. "true" used to trust every hop, which
 * lets any client pick its own address (and dodge per-address limits): it is refused, naming what
 * to write instead. Returns the problem as a string.
 */
export function parseTrustProxy(value: string): TrustProxy | string {
  const v = value.trim().toLowerCase();
  if (v === 'false' || v === 'no' || v === '0') return false;
  if (v === 'true' || v === 'yes')
    return '"true" would trust every hop, so any client could choose its own address by sending X-Forwarded-For: write the number of proxies in front of Job Forge (1 for one reverse proxy), or their addresses (e.g. 10.0.0.5 or 10.0.0.0/8, comma-separated)';
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    return hops <= 10 ? hops : 'a hop count must be at most 10';
  }
  const entries = v
    .split(',')
    .map((e) => e.trim())
    .filter(Boolean);
  for (const entry of entries) {
    const [address, bits, extra] = entry.split('/');
    const v4 = IPV4.test(address ?? '');
    const v6 = !v4 && /^[0-9a-f:.]+$/.test(address ?? '') && (address ?? '').includes(':');
    const maxBits = v4 ? 32 : 128;
    const bitsOk =
      bits === undefined ||
      (/^\d{1,3}$/.test(bits) && Number(bits) <= maxBits && extra === undefined);
    if (!(v4 || v6) || !bitsOk)
      return `"${entry}" is not an IP address or CIDR range: write false, a hop count (1), or proxy addresses such as 10.0.0.5, 10.0.0.0/8, fd00::/8`;
  }
  return entries.length > 0 ? entries : false;
}

/** US dollars per million tokens, as providers publish them. */
export interface Price {
  input: number;
  output: number;
}

/** Operator's prices: `server` for the server's own model, `models` by model name (lower case). */
export interface PriceOverrides {
  server?: Price;
  models: Record<string, Price>;
}

/**
 * `JOBFORGE_LLM_PRICE_PER_MTOK`: "3,15" prices the server's model; "name=3,15;other=0.1,0.4"
 * prices models by name. Returns the problem as a string.
 */
function parsePrices(value: string): PriceOverrides | string {
  const out: PriceOverrides = { models: {} };
  const pair = (s: string): Price | undefined => {
    const parts = s.split(',').map((x) => x.trim());
    const [input, output] = parts.map(Number);
    return parts.length === 2 &&
      parts.every((x) => x !== '') &&
      [input, output].every((n) => Number.isFinite(n) && n! >= 0)
      ? { input: input!, output: output! }
      : undefined;
  };
  for (const entry of value
    .split(';')
    .map((e) => e.trim())
    .filter(Boolean)) {
    const eq = entry.lastIndexOf('=');
    const price = pair(eq >= 0 ? entry.slice(eq + 1) : entry);
    const model = eq >= 0 ? entry.slice(0, eq).trim().toLowerCase() : undefined;
    if (!price || model === '')
      return `"${entry}" is not a price: write "input,output" in USD per million tokens (e.g. 3,15), or model=input,output separated by ";"`;
    if (model === undefined) out.server = price;
    else out.models[model] = price;
  }
  return out;
}

/** Default model per provider; an OpenAI-compatible server has no default (names are free text). */
export const DEFAULT_MODELS = {
  offline: 'jobforge-offline-1',
  anthropic: 'claude-sonnet-4-5',
  openai: 'gpt-4o-mini',
} as const;

/** A provider named without what it needs is a start-up error, not a failed job later. */
function llmProblems(e: z.infer<typeof schema>): string[] {
  const problems: string[] = [];
  const p = e.JOBFORGE_LLM_PROVIDER;
  if (p === 'anthropic' && !e.ANTHROPIC_API_KEY)
    problems.push('ANTHROPIC_API_KEY: is required when JOBFORGE_LLM_PROVIDER=anthropic');
  if (p === 'openai' && !e.OPENAI_API_KEY)
    problems.push('OPENAI_API_KEY: is required when JOBFORGE_LLM_PROVIDER=openai');
  if (p === 'openai-compatible' && !e.JOBFORGE_LLM_BASE_URL)
    problems.push(
      'JOBFORGE_LLM_BASE_URL: is required when JOBFORGE_LLM_PROVIDER=openai-compatible (e.g. http://localhost:11434/v1)',
    );
  if (p === 'openai-compatible' && !e.JOBFORGE_LLM_MODEL)
    problems.push('JOBFORGE_LLM_MODEL: is required when JOBFORGE_LLM_PROVIDER=openai-compatible');
  const ep = e.JOBFORGE_EMBEDDING_PROVIDER;
  if (ep === 'openai' && !e.OPENAI_API_KEY)
    problems.push('OPENAI_API_KEY: is required when JOBFORGE_EMBEDDING_PROVIDER=openai');
  if (ep === 'openai-compatible' && !e.JOBFORGE_EMBEDDING_BASE_URL)
    problems.push(
      'JOBFORGE_EMBEDDING_BASE_URL: is required when JOBFORGE_EMBEDDING_PROVIDER=openai-compatible (e.g. http://localhost:11434/v1)',
    );
  if (ep === 'openai-compatible' && !e.JOBFORGE_EMBEDDING_MODEL)
    problems.push(
      'JOBFORGE_EMBEDDING_MODEL: is required when JOBFORGE_EMBEDDING_PROVIDER=openai-compatible (e.g. nomic-embed-text)',
    );
  return problems;
}

/** The embedding model OpenAI uses when none is named. */
export const DEFAULT_EMBEDDING_MODEL = 'text-embedding-3-small';

export type RawConfig = z.infer<typeof schema>;

export interface Config {
  port: number;
  host: string;
  database:
    | { kind: 'pglite'; dataDir: string }
    | {
        kind: 'postgres';
        url: string;
        migrationUrl: string;
        poolSize: number;
        /** Per statement of a withUser transaction; 0: none. Unset: db/postgres.ts's default. */
        statementTimeoutMs?: number;
        /** Making a connection or waiting for a free one. Unset: db/postgres.ts's default. */
        connectTimeoutMs?: number;
      };
  dataDir: string;
  /** Unset means: generate once and keep it in the data directory (see secret.ts). */
  secret: string | undefined;
  accessTokenTtl: number;
  refreshTokenTtl: number;
  login: {
    /** Per (account, address) pair: failures before the progressive delay starts (decision 065). */
    maxFailuresPerAccount: number;
    maxFailuresPerAddress: number;
    windowSeconds: number;
    /** 0: registration is not limited per address. */
    registrationsPerAddressPerHour: number;
  };
  /** A rotated refresh token presented again this soon, from its session, is not a theft. */
  refreshReuseGraceSeconds: number;
  trustProxy: TrustProxy;
  /** Set: /metrics answers only `Authorization: Bearer <token>`. */
  metricsToken: string | undefined;
  cookieSecure: 'auto' | boolean;
  logLevel: RawConfig['JOBFORGE_LOG_LEVEL'];
  /** auto: readable lines on a terminal, JSON lines otherwise (log collectors). */
  logFormat: RawConfig['JOBFORGE_LOG_FORMAT'];
  /** The server's drafting provider (users may override it later in their AI settings). */
  llm: {
    provider: 'offline' | 'anthropic' | 'openai' | 'openai-compatible';
    model: string;
    baseUrl: string | undefined;
    apiKey: string | undefined;
    timeoutMs: number;
    maxOutputTokens: number;
    retry: { attempts: number; baseDelayMs: number; maxDelayMs: number };
    offlineChunkDelayMs: number;
    /** A stream that sends nothing for this long is abandoned as timed out (a stalled server). */
    idleTimeoutMs: number;
    /** The operator's prices for the cost estimate, over the built-in table. */
    prices: PriceOverrides;
    /** Tokens (input + output) a user may use per UTC day; undefined: unlimited. */
    dailyTokenBudget: number | undefined;
  };
  worker: {
    enabled: boolean;
    concurrency: number;
    pollMs: number;
    leaseSeconds: number;
    maxAttempts: number;
    /** One run of a job (claim to settle) may take this long; then it fails with the reason. */
    jobTimeoutMs: number;
    /** Jobs of one user running at once, across instances (enforced by the claim). */
    maxRunningPerUser: number;
    /** Queued + running jobs one user may have; more are refused with 429 too_many_jobs. */
    maxActivePerUser: number;
  };
  /**
   * Vectors for similar applications and semantic search: the built-in lexical embedding
   * (no network) or a provider's model. The operator's choice, for every user.
   */
  embedding: {
    provider: 'lexical' | 'openai' | 'openai-compatible';
    /** Undefined for lexical (the built-in has one fixed model). */
    model: string | undefined;
    baseUrl: string | undefined;
    apiKey: string | undefined;
    timeoutMs: number;
  };
  /**
   * The worker-thread pool for CPU-heavy work (decision 062): parsing, analysis, rendering.
   * `threads` unset: one fewer than the cores (at least one), leaving the event loop a core.
   */
  compute: {
    threads: number | undefined;
    /** How long one task may run in its thread (queue time not counted). */
    timeoutMs: number;
    /** Each thread's heap (old generation) limit. */
    heapMb: number;
  };
  /** Server-side fetches of user-supplied URLs (job posting import). */
  outbound: {
    /** Operators of an intranet install may allow private and loopback addresses. */
    allowPrivateAddresses: boolean;
  };
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
  const problems = llmProblems(e);
  if (problems.length > 0) throw new ConfigError(problems);
  const provider = e.JOBFORGE_LLM_PROVIDER ?? 'offline';
  return {
    port: e.PORT,
    host: e.HOST,
    database: e.DATABASE_URL
      ? {
          kind: 'postgres',
          url: e.DATABASE_URL,
          migrationUrl: e.JOBFORGE_MIGRATION_DATABASE_URL ?? e.DATABASE_URL,
          poolSize: e.JOBFORGE_DATABASE_POOL_SIZE,
          statementTimeoutMs: e.JOBFORGE_STATEMENT_TIMEOUT_MS,
          connectTimeoutMs: e.JOBFORGE_DATABASE_CONNECT_TIMEOUT_MS,
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
      registrationsPerAddressPerHour: e.JOBFORGE_REGISTRATIONS_PER_ADDRESS_PER_HOUR,
    },
    refreshReuseGraceSeconds: e.JOBFORGE_REFRESH_REUSE_GRACE_SECONDS,
    trustProxy: e.JOBFORGE_TRUST_PROXY,
    metricsToken: e.JOBFORGE_METRICS_TOKEN,
    cookieSecure:
      e.JOBFORGE_COOKIE_SECURE === 'auto' ? 'auto' : e.JOBFORGE_COOKIE_SECURE === 'true',
    logLevel: e.JOBFORGE_LOG_LEVEL,
    logFormat: e.JOBFORGE_LOG_FORMAT,
    llm: {
      provider,
      model:
        provider === 'offline'
          ? DEFAULT_MODELS.offline
          : (e.JOBFORGE_LLM_MODEL ??
            (provider === 'openai-compatible' ? '' : DEFAULT_MODELS[provider])),
      baseUrl: provider === 'offline' ? undefined : e.JOBFORGE_LLM_BASE_URL,
      apiKey:
        provider === 'anthropic'
          ? e.ANTHROPIC_API_KEY
          : provider === 'offline'
            ? undefined
            : e.OPENAI_API_KEY,
      timeoutMs: Math.round(e.JOBFORGE_LLM_TIMEOUT_SECONDS * 1000),
      maxOutputTokens: e.JOBFORGE_LLM_MAX_OUTPUT_TOKENS,
      retry: {
        attempts: e.JOBFORGE_LLM_MAX_ATTEMPTS,
        baseDelayMs: e.JOBFORGE_LLM_RETRY_BASE_MS,
        maxDelayMs: e.JOBFORGE_LLM_RETRY_MAX_MS,
      },
      offlineChunkDelayMs: e.JOBFORGE_OFFLINE_CHUNK_DELAY_MS,
      idleTimeoutMs: e.JOBFORGE_LLM_IDLE_TIMEOUT_MS,
      prices: e.JOBFORGE_LLM_PRICE_PER_MTOK ?? { models: {} },
      dailyTokenBudget: e.JOBFORGE_DAILY_TOKEN_BUDGET || undefined,
    },
    worker: {
      enabled: e.JOBFORGE_WORKER_ENABLED,
      concurrency: e.JOBFORGE_WORKER_CONCURRENCY,
      pollMs: e.JOBFORGE_WORKER_POLL_MS,
      leaseSeconds: e.JOBFORGE_JOB_LEASE_SECONDS,
      maxAttempts: e.JOBFORGE_JOB_MAX_ATTEMPTS,
      jobTimeoutMs: Math.round(Math.min(e.JOBFORGE_JOB_TIMEOUT_SECONDS, 2_000_000) * 1000),
      maxRunningPerUser: e.JOBFORGE_MAX_RUNNING_JOBS_PER_USER,
      maxActivePerUser: e.JOBFORGE_MAX_ACTIVE_JOBS_PER_USER,
    },
    embedding: {
      provider: e.JOBFORGE_EMBEDDING_PROVIDER,
      model:
        e.JOBFORGE_EMBEDDING_PROVIDER === 'lexical'
          ? undefined
          : (e.JOBFORGE_EMBEDDING_MODEL ?? DEFAULT_EMBEDDING_MODEL),
      baseUrl:
        e.JOBFORGE_EMBEDDING_PROVIDER === 'lexical' ? undefined : e.JOBFORGE_EMBEDDING_BASE_URL,
      apiKey: e.JOBFORGE_EMBEDDING_PROVIDER === 'lexical' ? undefined : e.OPENAI_API_KEY,
      timeoutMs: Math.round(e.JOBFORGE_LLM_TIMEOUT_SECONDS * 1000),
    },
    compute: {
      threads: e.JOBFORGE_COMPUTE_THREADS,
      timeoutMs: e.JOBFORGE_COMPUTE_TIMEOUT_MS,
      heapMb: e.JOBFORGE_COMPUTE_HEAP_MB,
    },
    outbound: { allowPrivateAddresses: e.JOBFORGE_ALLOW_PRIVATE_URLS },
  };
}

const clientSchema = z.object({
  JOBFORGE_SERVER_URL: z.url({ protocol: /^https?$/ }).optional(),
  JOBFORGE_EMAIL: z.string().optional(),
  JOBFORGE_PASSWORD: z.string().optional(),
});

/** What the CLI needs to talk to a running server as one user (never read by the server). */
export interface ClientConfig {
  serverUrl: string | undefined;
  email: string | undefined;
  password: string | undefined;
}

/** The client-side variables of the `jobforge` commands that work against a running server. */
export function loadClientConfig(env: NodeJS.ProcessEnv = process.env): ClientConfig {
  const cleaned = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ''),
  );
  const parsed = clientSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => `${i.path.join('.') || '(environment)'}: ${i.message}`),
    );
  }
  return {
    serverUrl: parsed.data.JOBFORGE_SERVER_URL,
    email: parsed.data.JOBFORGE_EMAIL,
    password: parsed.data.JOBFORGE_PASSWORD,
  };
}

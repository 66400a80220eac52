import { isAbsolute, join, resolve } from 'node:path';

import { DEFAULT_RATE_LIMITS, type RateLimitSettings } from './rate-limits';
import { type EnvironmentValues, type LogLevel, readEnvironment, type SettingName } from './settings';

export type DatabaseConfig = { kind: 'embedded'; dataDir: string } | { kind: 'postgres'; url: string };

/** Every setting of Cloop, read from the environment once at boot (DESIGN §8). */
export interface AppConfig {
  port: number;
  /** The interface to listen on: loopback unless the operator opens it (the container image does). */
  host: string;
  publicUrl: string;
  dataDir: string;
  database: DatabaseConfig;
  redisUrl: string | null;
  /** `null` in embedded mode means "generate one and keep it under DATA_DIR". */
  jwtSecret: string | null;
  /**
   * Keys the audit trail's hashes and signs its checkpoints; `null` in embedded mode means "generate
   * one and keep it under DATA_DIR". Separate from the JWT secret, so rotating that one leaves the
   * trail verifiable.
   */
  auditKey: string | null;
  allowSignup: boolean;
  /** The crawler may fetch loopback and private-network addresses (intranet sites, tests). */
  crawlPrivateNetworks: boolean;
  /** Crawled sources are crawled again this many days after their last crawl (0: only on demand). */
  crawlRecrawlDays: number;
  /** Trust `X-Forwarded-For` from this many proxy hops (0: use the socket address). */
  trustProxyHops: number;
  llm: {
    baseUrl: string;
    apiKey: string | null;
    model: string;
    /** Tokens each site may use per calendar month; then answers come from retrieval only. */
    monthlyTokenBudget: number;
    /** How long an answer may take before retrieval answers instead. */
    timeoutMs: number;
  } | null;
  /** OpenAI-compatible embeddings: vector search beside full-text search where pgvector is present. */
  embeddings: {
    baseUrl: string;
    apiKey: string | null;
    model: string;
  } | null;
  logLevel: LogLevel;
  /** On SIGTERM/SIGINT, how long requests in flight and open sockets get before they are cut. */
  shutdownGraceMs: number;
  /**
   * On SIGTERM/SIGINT, how long readiness answers 503 while requests are still served, before the
   * drain starts: a load balancer that polls readiness stops sending first, so no request meets a
   * closed listener.
   */
  shutdownDelayMs: number;
  /** Retention runs once per this period across all replicas. */
  retentionIntervalMs: number;
  /** The defaults with the operator's `RATE_LIMITS` overrides merged over them. */
  rateLimits: RateLimitSettings;
  /** Outgoing e-mail through SMTP; `null`: Cloop sends none and the console says e-mail is off. */
  mail: MailConfig | null;
}

export interface MailConfig {
  /** `smtp://` or `smtps://`, with credentials and options in the URL, as nodemailer reads it. */
  smtpUrl: string;
  /** The `From` of every message: an address, optionally with a display name. */
  from: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/**
 * Validates the whole environment ({@link readEnvironment} checks each variable on its own, this
 * adds the rules between them) and reports every bad variable at once, each by name.
 */
export function loadConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): AppConfig {
  const { values, problems } = readEnvironment(env);
  /** Set (not blank), whether or not its value passed its check. */
  const given = (name: SettingName): boolean => Boolean(env[name]?.trim());

  const port = values.PORT ?? 3000;
  const dataDirRaw = values.DATA_DIR ?? './data';
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(cwd, dataDirRaw);
  const database: DatabaseConfig = values.DATABASE_URL
    ? { kind: 'postgres', url: values.DATABASE_URL }
    : { kind: 'embedded', dataDir: join(dataDir, 'pglite') };

  if (database.kind === 'postgres') {
    // Replicas sharing a server must share the secret, so it cannot be generated per process; and
    // every replica and the command line must key the audit chains the same way.
    if (!given('JWT_SECRET')) {
      problems.push('JWT_SECRET is required when DATABASE_URL is set (e.g. `openssl rand -base64 48`)');
    }
    if (!given('AUDIT_KEY')) {
      problems.push('AUDIT_KEY is required when DATABASE_URL is set (e.g. `openssl rand -base64 48`)');
    }
  }
  let auditKey = values.AUDIT_KEY ?? null;
  if (auditKey !== null && auditKey === values.JWT_SECRET) {
    // One leaked or rotated secret must not take the audit trail's proof with it.
    problems.push('AUDIT_KEY must differ from JWT_SECRET');
    auditKey = null;
  }

  const llm = modelSettings(values, given, problems);
  const embeddings = embeddingSettings(values, given, problems);
  const mail = mailSettings(values, given, problems);
  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host: values.HOST ?? '',
    publicUrl: (values.PUBLIC_URL ?? `http://localhost:${port}`).replace(/\/+$/, ''),
    dataDir,
    database,
    redisUrl: values.REDIS_URL ?? null,
    jwtSecret: values.JWT_SECRET ?? null,
    auditKey,
    allowSignup: values.ALLOW_SIGNUP ?? true,
    crawlPrivateNetworks: values.CRAWL_ALLOW_PRIVATE_NETWORKS ?? false,
    crawlRecrawlDays: values.CRAWL_RECRAWL_DAYS ?? 7,
    trustProxyHops: values.TRUST_PROXY ?? 0,
    llm,
    embeddings,
    logLevel: values.LOG_LEVEL ?? 'info',
    shutdownGraceMs: values.SHUTDOWN_GRACE_MS ?? 10_000,
    shutdownDelayMs: values.SHUTDOWN_DELAY_MS ?? 0,
    retentionIntervalMs: values.RETENTION_INTERVAL_MS ?? 3_600_000,
    // `RATE_LIMITS` overrides some of the defaults; what it leaves out keeps its default.
    rateLimits: values.RATE_LIMITS ?? DEFAULT_RATE_LIMITS,
    mail,
  };
}

type Given = (name: SettingName) => boolean;

/** Outgoing e-mail: both or neither (a server that could send but not sign its mail is a typo). */
function mailSettings(values: EnvironmentValues, given: Given, problems: string[]): MailConfig | null {
  if (!given('SMTP_URL') && !given('MAIL_FROM')) return null;
  if (!given('SMTP_URL')) problems.push('SMTP_URL is required when MAIL_FROM is set');
  if (!given('MAIL_FROM')) problems.push('MAIL_FROM is required when SMTP_URL is set');
  if (!values.SMTP_URL || !values.MAIL_FROM) return null;
  return { smtpUrl: values.SMTP_URL, from: values.MAIL_FROM };
}

/** The language model: all of `LLM_*` or none (`LLM_BASE_URL` says which). */
function modelSettings(values: EnvironmentValues, given: Given, problems: string[]): AppConfig['llm'] {
  if (!given('LLM_BASE_URL')) {
    if (given('LLM_MODEL') || given('LLM_API_KEY')) {
      problems.push('LLM_BASE_URL is required when LLM_MODEL or LLM_API_KEY is set');
    }
    return null;
  }
  if (!given('LLM_MODEL')) problems.push('LLM_MODEL is required when LLM_BASE_URL is set');
  if (!values.LLM_BASE_URL || !values.LLM_MODEL) return null;
  return {
    baseUrl: values.LLM_BASE_URL.replace(/\/+$/, ''),
    apiKey: values.LLM_API_KEY ?? null,
    model: values.LLM_MODEL,
    monthlyTokenBudget: values.LLM_MONTHLY_TOKEN_BUDGET ?? 500_000,
    timeoutMs: values.LLM_TIMEOUT_MS ?? 30_000,
  };
}

/**
 * Embeddings usually come from the same provider as the model: its URL and key are the defaults.
 * Another provider (its own `EMBEDDING_BASE_URL`) never receives the model provider's key.
 */
function embeddingSettings(
  values: EnvironmentValues,
  given: Given,
  problems: string[],
): AppConfig['embeddings'] {
  if (!given('EMBEDDING_MODEL')) {
    if (given('EMBEDDING_BASE_URL') || given('EMBEDDING_API_KEY')) {
      problems.push('EMBEDDING_MODEL is required when EMBEDDING_BASE_URL or EMBEDDING_API_KEY is set');
    }
    return null;
  }
  const ownProvider = given('EMBEDDING_BASE_URL');
  if (!ownProvider && !given('LLM_BASE_URL')) {
    problems.push('EMBEDDING_BASE_URL (or LLM_BASE_URL) is required when EMBEDDING_MODEL is set');
  }
  const baseUrl = ownProvider ? values.EMBEDDING_BASE_URL : values.LLM_BASE_URL;
  if (!baseUrl || !values.EMBEDDING_MODEL) return null;
  return {
    baseUrl: baseUrl.replace(/\/+$/, ''),
    apiKey: values.EMBEDDING_API_KEY ?? (ownProvider ? null : (values.LLM_API_KEY ?? null)),
    model: values.EMBEDDING_MODEL,
  };
}

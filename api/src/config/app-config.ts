import { isIP } from 'node:net';
import { isAbsolute, join, resolve } from 'node:path';

import { parseRateLimits } from '../rate-limit/rate-limit-overrides';
import { DEFAULT_RATE_LIMITS, type RateLimitSettings } from '../rate-limit/rate-limits';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

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

export const JWT_SECRET_MIN_LENGTH = 32;
export const AUDIT_KEY_MIN_LENGTH = 32;

/**
 * Validates the whole environment and reports every bad variable at once, each by name, so an
 * operator fixes their `.env` in one go.
 */
export function loadConfig(env: NodeJS.ProcessEnv, cwd = process.cwd()): AppConfig {
  const problems: string[] = [];
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  const fail = <T>(problem: string, fallback: T): T => {
    problems.push(problem);
    return fallback;
  };

  const port = parseInteger(read('PORT') ?? '3000');
  const validPort =
    port !== null && port >= 1 && port <= 65535
      ? port
      : fail(`PORT must be an integer between 1 and 65535 (got "${read('PORT')}")`, 3000);

  const hostRaw = read('HOST') ?? '127.0.0.1';
  const host = isListenHost(hostRaw)
    ? hostRaw
    : fail(`HOST must be an IP address or host name such as 127.0.0.1 or 0.0.0.0 (got "${hostRaw}")`, '');

  const publicUrlRaw = read('PUBLIC_URL') ?? `http://localhost:${validPort}`;
  const publicUrl = isHttpUrl(publicUrlRaw)
    ? publicUrlRaw.replace(/\/+$/, '')
    : fail(`PUBLIC_URL must be an http(s) URL such as https://chat.example.com (got "${publicUrlRaw}")`, '');

  const dataDirRaw = read('DATA_DIR') ?? './data';
  const dataDir = isAbsolute(dataDirRaw) ? dataDirRaw : resolve(cwd, dataDirRaw);

  const databaseUrl = read('DATABASE_URL');
  let database: DatabaseConfig = { kind: 'embedded', dataDir: join(dataDir, 'pglite') };
  if (databaseUrl !== undefined) {
    database = hasProtocol(databaseUrl, ['postgres:', 'postgresql:'])
      ? { kind: 'postgres', url: databaseUrl }
      : fail('DATABASE_URL must be a postgres:// or postgresql:// URL', database);
  }

  const redisUrlRaw = read('REDIS_URL');
  const redisUrl =
    redisUrlRaw === undefined || hasProtocol(redisUrlRaw, ['redis:', 'rediss:'])
      ? (redisUrlRaw ?? null)
      : fail('REDIS_URL must be a redis:// or rediss:// URL', null);

  const jwtSecretRaw = read('JWT_SECRET');
  let jwtSecret: string | null = null;
  if (jwtSecretRaw !== undefined) {
    jwtSecret =
      jwtSecretRaw.length >= JWT_SECRET_MIN_LENGTH
        ? jwtSecretRaw
        : fail(`JWT_SECRET must be at least ${JWT_SECRET_MIN_LENGTH} characters`, null);
  } else if (database.kind === 'postgres') {
    // Replicas sharing a server must share the secret, so it cannot be generated per process.
    problems.push('JWT_SECRET is required when DATABASE_URL is set (e.g. `openssl rand -base64 48`)');
  }

  const auditKeyRaw = read('AUDIT_KEY');
  let auditKey: string | null = null;
  if (auditKeyRaw !== undefined) {
    if (auditKeyRaw.length < AUDIT_KEY_MIN_LENGTH) {
      problems.push(`AUDIT_KEY must be at least ${AUDIT_KEY_MIN_LENGTH} characters`);
    } else if (auditKeyRaw === jwtSecretRaw) {
      // One leaked or rotated secret must not take the audit trail's proof with it.
      problems.push('AUDIT_KEY must differ from JWT_SECRET');
    } else {
      auditKey = auditKeyRaw;
    }
  } else if (database.kind === 'postgres') {
    // Every replica and the command line must key the same chains the same way.
    problems.push('AUDIT_KEY is required when DATABASE_URL is set (e.g. `openssl rand -base64 48`)');
  }

  const allowSignupRaw = read('ALLOW_SIGNUP') ?? 'true';
  const allowSignup = parseBoolean(allowSignupRaw) ?? fail('ALLOW_SIGNUP must be true or false', true);
  const crawlPrivateNetworks =
    parseBoolean(read('CRAWL_ALLOW_PRIVATE_NETWORKS') ?? 'false') ??
    fail('CRAWL_ALLOW_PRIVATE_NETWORKS must be true or false', false);

  const recrawlDays = parseInteger(read('CRAWL_RECRAWL_DAYS') ?? '7');
  const crawlRecrawlDays =
    recrawlDays !== null && recrawlDays <= 365
      ? recrawlDays
      : fail('CRAWL_RECRAWL_DAYS must be a whole number of days from 0 (never) to 365', 7);

  const trustProxyRaw = read('TRUST_PROXY') ?? '0';
  const trustProxyHops = parseTrustProxy(trustProxyRaw);
  const validTrustProxy =
    trustProxyHops ??
    fail(`TRUST_PROXY must be false, true (one hop) or a number of proxy hops (got "${trustProxyRaw}")`, 0);

  const llmBaseUrl = read('LLM_BASE_URL');
  let llm: AppConfig['llm'] = null;
  if (llmBaseUrl !== undefined) {
    const model = read('LLM_MODEL');
    if (!isHttpUrl(llmBaseUrl)) problems.push('LLM_BASE_URL must be an http(s) URL');
    if (model === undefined) problems.push('LLM_MODEL is required when LLM_BASE_URL is set');
    const budget = parseInteger(read('LLM_MONTHLY_TOKEN_BUDGET') ?? '500000');
    const timeoutMs = parseInteger(read('LLM_TIMEOUT_MS') ?? '30000');
    llm = {
      baseUrl: llmBaseUrl.replace(/\/+$/, ''),
      apiKey: read('LLM_API_KEY') ?? null,
      model: model ?? '',
      monthlyTokenBudget:
        budget !== null && budget >= 0
          ? budget
          : fail('LLM_MONTHLY_TOKEN_BUDGET must be a whole number of tokens (0 or more)', 0),
      timeoutMs:
        timeoutMs !== null && timeoutMs >= 100
          ? timeoutMs
          : fail('LLM_TIMEOUT_MS must be a number of milliseconds (100 or more)', 30000),
    };
  } else if (read('LLM_MODEL') !== undefined || read('LLM_API_KEY') !== undefined) {
    problems.push('LLM_BASE_URL is required when LLM_MODEL or LLM_API_KEY is set');
  }

  // Embeddings usually come from the same provider as the model: its URL and key are the defaults.
  const embeddingModel = read('EMBEDDING_MODEL');
  const embeddingBaseUrl = read('EMBEDDING_BASE_URL');
  let embeddings: AppConfig['embeddings'] = null;
  if (embeddingModel !== undefined) {
    const baseUrl = embeddingBaseUrl ?? llmBaseUrl;
    if (baseUrl === undefined) {
      problems.push('EMBEDDING_BASE_URL (or LLM_BASE_URL) is required when EMBEDDING_MODEL is set');
    } else if (!isHttpUrl(baseUrl)) {
      problems.push('EMBEDDING_BASE_URL must be an http(s) URL');
    } else {
      embeddings = {
        baseUrl: baseUrl.replace(/\/+$/, ''),
        apiKey:
          read('EMBEDDING_API_KEY') ??
          (embeddingBaseUrl === undefined ? (read('LLM_API_KEY') ?? null) : null),
        model: embeddingModel,
      };
    }
  } else if (embeddingBaseUrl !== undefined || read('EMBEDDING_API_KEY') !== undefined) {
    problems.push('EMBEDDING_MODEL is required when EMBEDDING_BASE_URL or EMBEDDING_API_KEY is set');
  }

  const logLevelRaw = (read('LOG_LEVEL') ?? 'info').toLowerCase();
  const logLevel = LOG_LEVELS.includes(logLevelRaw as LogLevel)
    ? (logLevelRaw as LogLevel)
    : fail(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`, 'info' as LogLevel);

  const shutdownGraceMs = parseInteger(read('SHUTDOWN_GRACE_MS') ?? '10000');
  const validShutdownGraceMs =
    shutdownGraceMs !== null && shutdownGraceMs <= 600_000
      ? shutdownGraceMs
      : fail('SHUTDOWN_GRACE_MS must be a number of milliseconds between 0 and 600000', 10_000);

  const shutdownDelayMs = parseInteger(read('SHUTDOWN_DELAY_MS') ?? '0');
  const validShutdownDelayMs =
    shutdownDelayMs !== null && shutdownDelayMs <= 600_000
      ? shutdownDelayMs
      : fail('SHUTDOWN_DELAY_MS must be a number of milliseconds between 0 and 600000', 0);

  const retentionIntervalMs = parseInteger(read('RETENTION_INTERVAL_MS') ?? '3600000');
  const validRetentionIntervalMs =
    retentionIntervalMs !== null && retentionIntervalMs >= 1_000 && retentionIntervalMs <= 7 * 86_400_000
      ? retentionIntervalMs
      : fail('RETENTION_INTERVAL_MS must be a number of milliseconds between 1000 and 604800000 (a week)', 0);

  const rateLimitsRaw = read('RATE_LIMITS');
  const overrides = rateLimitsRaw === undefined ? null : parseRateLimits(rateLimitsRaw);
  problems.push(...(overrides?.problems ?? []));
  const rateLimits = overrides?.settings ?? DEFAULT_RATE_LIMITS;

  const mail = readMail(read('SMTP_URL'), read('MAIL_FROM'), problems);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port: validPort,
    host,
    publicUrl,
    dataDir,
    database,
    redisUrl,
    jwtSecret,
    auditKey,
    allowSignup,
    crawlPrivateNetworks,
    crawlRecrawlDays,
    trustProxyHops: validTrustProxy,
    llm,
    embeddings,
    logLevel,
    shutdownGraceMs: validShutdownGraceMs,
    shutdownDelayMs: validShutdownDelayMs,
    retentionIntervalMs: validRetentionIntervalMs,
    rateLimits,
    mail,
  };
}

/** Both or neither: a server that could send but not sign its mail (or the reverse) is a typo. */
function readMail(
  smtpUrl: string | undefined,
  from: string | undefined,
  problems: string[],
): MailConfig | null {
  if (smtpUrl === undefined && from === undefined) return null;
  const before = problems.length;
  if (smtpUrl === undefined) problems.push('SMTP_URL is required when MAIL_FROM is set');
  else if (!hasProtocol(smtpUrl, ['smtp:', 'smtps:'])) {
    problems.push(
      'SMTP_URL must be an smtp:// or smtps:// URL such as smtps://user:pass@mail.example.com:465',
    );
  }
  if (from === undefined) problems.push('MAIL_FROM is required when SMTP_URL is set');
  else if (!isMailFrom(from)) {
    problems.push('MAIL_FROM must be an address such as "Cloop <cloop@example.com>" or cloop@example.com');
  }
  return problems.length > before || smtpUrl === undefined || from === undefined ? null : { smtpUrl, from };
}

/** `name@host` or `Display Name <name@host>`, on one line (a header value). */
function isMailFrom(value: string): boolean {
  const address = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
  const named = /^[^<>\r\n]*<([^<>]+)>$/.exec(value);
  return !/[\r\n]/.test(value) && (address.test(value) || (named !== null && address.test(named[1] ?? '')));
}

function parseInteger(value: string): number | null {
  return /^\d+$/.test(value) ? Number(value) : null;
}

function parseBoolean(value: string): boolean | null {
  const normalized = value.toLowerCase();
  if (['true', '1', 'yes'].includes(normalized)) return true;
  if (['false', '0', 'no'].includes(normalized)) return false;
  return null;
}

function parseTrustProxy(value: string): number | null {
  const asBoolean = parseBoolean(value);
  if (asBoolean !== null) return asBoolean ? 1 : 0;
  const hops = parseInteger(value);
  return hops !== null && hops <= 10 ? hops : null;
}

function hasProtocol(value: string, protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

function isHttpUrl(value: string): boolean {
  return hasProtocol(value, ['http:', 'https:']);
}

/** An address to bind: an IP literal (`0.0.0.0`, `::`) or a host name such as `localhost`. */
function isListenHost(value: string): boolean {
  return (
    isIP(value) !== 0 ||
    /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(value)
  );
}

import { isIP } from 'node:net';

import { parseRateLimits } from './rate-limit-overrides';
import type { RateLimitSettings } from './rate-limits';

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export const JWT_SECRET_MIN_LENGTH = 32;
export const AUDIT_KEY_MIN_LENGTH = 32;

/** What reading one variable gave: its value, or why the operator must fix it. */
type Reading<T> = { value: T } | { problems: string[] };

/** How one environment variable is read: its value when unset, and its check. */
interface Setting<T> {
  default?: string;
  read(raw: string): Reading<T>;
}

const ok = <T>(value: T): Reading<T> => ({ value });
const bad = (problem: string): Reading<never> => ({ problems: [problem] });

function text(): Setting<string>['read'] {
  return ok;
}

function integer(min: number, max: number, problem: string): Setting<number>['read'] {
  return (raw) => {
    const value = /^\d+$/.test(raw) ? Number(raw) : NaN;
    return value >= min && value <= max ? ok(value) : bad(problem);
  };
}

function boolean(problem: string): Setting<boolean>['read'] {
  return (raw) => {
    const value = parseBoolean(raw);
    return value === null ? bad(problem) : ok(value);
  };
}

function url(protocols: string[], problem: (raw: string) => string): Setting<string>['read'] {
  return (raw) => (hasProtocol(raw, protocols) ? ok(raw) : bad(problem(raw)));
}

function secret(name: string, minLength: number): Setting<string>['read'] {
  return (raw) =>
    raw.length >= minLength ? ok(raw) : bad(`${name} must be at least ${minLength} characters`);
}

const HTTP = ['http:', 'https:'];

/**
 * Every environment variable Cloop reads, each with its default and its own check (DESIGN §8;
 * documented in docs/self-hosting.md, listed in .env.example — a test keeps the three equal).
 * Rules between variables (one requires another) are {@link loadConfig}'s.
 */
export const ENVIRONMENT = {
  PORT: { default: '3000', read: integer(1, 65_535, 'PORT must be an integer between 1 and 65535') },
  HOST: {
    default: '127.0.0.1',
    read: (raw) =>
      isListenHost(raw)
        ? ok(raw)
        : bad(`HOST must be an IP address or host name such as 127.0.0.1 or 0.0.0.0 (got "${raw}")`),
  },
  PUBLIC_URL: {
    read: url(
      HTTP,
      (raw) => `PUBLIC_URL must be an http(s) URL such as https://chat.example.com (got "${raw}")`,
    ),
  },
  DATA_DIR: { default: './data', read: text() },
  DATABASE_URL: {
    read: url(['postgres:', 'postgresql:'], () => 'DATABASE_URL must be a postgres:// or postgresql:// URL'),
  },
  REDIS_URL: { read: url(['redis:', 'rediss:'], () => 'REDIS_URL must be a redis:// or rediss:// URL') },
  JWT_SECRET: { read: secret('JWT_SECRET', JWT_SECRET_MIN_LENGTH) },
  AUDIT_KEY: { read: secret('AUDIT_KEY', AUDIT_KEY_MIN_LENGTH) },
  ALLOW_SIGNUP: { default: 'true', read: boolean('ALLOW_SIGNUP must be true or false') },
  CRAWL_ALLOW_PRIVATE_NETWORKS: {
    default: 'false',
    read: boolean('CRAWL_ALLOW_PRIVATE_NETWORKS must be true or false'),
  },
  CRAWL_RECRAWL_DAYS: {
    default: '7',
    read: integer(0, 365, 'CRAWL_RECRAWL_DAYS must be a whole number of days from 0 (never) to 365'),
  },
  TRUST_PROXY: {
    default: '0',
    read: (raw) => {
      const hops = parseTrustProxy(raw);
      return hops === null
        ? bad(`TRUST_PROXY must be false, true (one hop) or a number of proxy hops (got "${raw}")`)
        : ok(hops);
    },
  },
  LLM_BASE_URL: { read: url(HTTP, () => 'LLM_BASE_URL must be an http(s) URL') },
  LLM_MODEL: { read: text() },
  LLM_API_KEY: { read: text() },
  LLM_MONTHLY_TOKEN_BUDGET: {
    default: '500000',
    read: integer(
      0,
      Number.MAX_SAFE_INTEGER,
      'LLM_MONTHLY_TOKEN_BUDGET must be a whole number of tokens (0 or more)',
    ),
  },
  LLM_TIMEOUT_MS: {
    default: '30000',
    read: integer(
      100,
      Number.MAX_SAFE_INTEGER,
      'LLM_TIMEOUT_MS must be a number of milliseconds (100 or more)',
    ),
  },
  EMBEDDING_MODEL: { read: text() },
  EMBEDDING_BASE_URL: { read: url(HTTP, () => 'EMBEDDING_BASE_URL must be an http(s) URL') },
  EMBEDDING_API_KEY: { read: text() },
  LOG_LEVEL: {
    default: 'info',
    read: (raw) => {
      const level = raw.toLowerCase() as LogLevel;
      return LOG_LEVELS.includes(level)
        ? ok(level)
        : bad(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
    },
  },
  SHUTDOWN_GRACE_MS: {
    default: '10000',
    read: integer(0, 600_000, 'SHUTDOWN_GRACE_MS must be a number of milliseconds between 0 and 600000'),
  },
  SHUTDOWN_DELAY_MS: {
    default: '0',
    read: integer(0, 600_000, 'SHUTDOWN_DELAY_MS must be a number of milliseconds between 0 and 600000'),
  },
  RETENTION_INTERVAL_MS: {
    default: '3600000',
    read: integer(
      1_000,
      7 * 86_400_000,
      'RETENTION_INTERVAL_MS must be a number of milliseconds between 1000 and 604800000 (a week)',
    ),
  },
  SMTP_URL: {
    read: url(
      ['smtp:', 'smtps:'],
      () => 'SMTP_URL must be an smtp:// or smtps:// URL such as smtps://user:pass@mail.example.com:465',
    ),
  },
  MAIL_FROM: {
    read: (raw) =>
      isMailFrom(raw)
        ? ok(raw)
        : bad('MAIL_FROM must be an address such as "Cloop <cloop@example.com>" or cloop@example.com'),
  },
  RATE_LIMITS: {
    read: (raw): Reading<RateLimitSettings> => {
      const overrides = parseRateLimits(raw);
      return overrides.settings ? ok(overrides.settings) : { problems: overrides.problems };
    },
  },
} satisfies Record<string, Setting<unknown>>;

export type SettingName = keyof typeof ENVIRONMENT;

/** Each variable's value: `undefined` when it is unset without a default, or when it is invalid. */
export type EnvironmentValues = {
  [Name in SettingName]: (typeof ENVIRONMENT)[Name] extends Setting<infer T> ? T | undefined : never;
};

/**
 * Reads every variable of {@link ENVIRONMENT}: blank counts as unset, and every problem is
 * collected, so an operator fixes their `.env` in one go.
 */
export function readEnvironment(env: NodeJS.ProcessEnv): { values: EnvironmentValues; problems: string[] } {
  const values: Partial<Record<SettingName, unknown>> = {};
  const problems: string[] = [];
  for (const [name, setting] of Object.entries(ENVIRONMENT) as [SettingName, Setting<unknown>][]) {
    const raw = env[name]?.trim() || setting.default;
    if (raw === undefined) continue;
    const reading = setting.read(raw);
    if ('value' in reading) values[name] = reading.value;
    else problems.push(...reading.problems);
  }
  return { values: values as EnvironmentValues, problems };
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
  return /^\d+$/.test(value) && Number(value) <= 10 ? Number(value) : null;
}

function hasProtocol(value: string, protocols: string[]): boolean {
  try {
    return protocols.includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

/** `name@host` or `Display Name <name@host>`, on one line (a header value). */
function isMailFrom(value: string): boolean {
  const address = /^[^\s@<>]+@[^\s@<>]+\.[^\s@<>]+$/;
  const named = /^[^<>\r\n]*<([^<>]+)>$/.exec(value);
  return !/[\r\n]/.test(value) && (address.test(value) || (named !== null && address.test(named[1] ?? '')));
}

/** An address to bind: an IP literal (`0.0.0.0`, `::`) or a host name such as `localhost`. */
function isListenHost(value: string): boolean {
  return (
    isIP(value) !== 0 ||
    /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*$/i.test(value)
  );
}

import { join } from 'node:path';

import { DEFAULT_RATE_LIMITS } from './rate-limits';
import { ConfigError, loadConfig } from './app-config';

const CWD = '/srv/cloop';
const SECRET = 's'.repeat(32);
const AUDIT_KEY = 'a'.repeat(32);

/** The ConfigError `loadConfig` throws for this environment; fails the test if it throws none. */
function configErrorFor(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env, CWD);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

describe('loadConfig', () => {
  it('runs with no environment at all: port 3000, embedded database under ./data, signup open', () => {
    const config = loadConfig({}, CWD);

    expect(config).toMatchObject({
      port: 3000,
      host: '127.0.0.1',
      publicUrl: 'http://localhost:3000',
      dataDir: join(CWD, 'data'),
      redisUrl: null,
      jwtSecret: null,
      auditKey: null,
      allowSignup: true,
      crawlPrivateNetworks: false,
      crawlRecrawlDays: 7,
      trustProxyHops: 0,
      llm: null,
      embeddings: null,
      logLevel: 'info',
      shutdownGraceMs: 10_000,
      shutdownDelayMs: 0,
      retentionIntervalMs: 3_600_000,
    });
    expect(config.database.kind).toBe('embedded');
    if (config.database.kind === 'embedded') {
      expect(`${config.database.dataDir}/`.startsWith(`${join(CWD, 'data')}/`)).toBe(true);
    }
  });

  it.each(['0.0.0.0', '::', '192.168.1.20', 'localhost'])('listens on HOST=%s when told', (host) => {
    expect(loadConfig({ HOST: host }, CWD).host).toBe(host);
  });

  it('treats blank variables as unset', () => {
    expect(loadConfig({ PORT: '  ', ALLOW_SIGNUP: '', LOG_LEVEL: ' ' }, CWD)).toMatchObject({
      port: 3000,
      allowSignup: true,
      crawlPrivateNetworks: false,
      logLevel: 'info',
    });
  });

  it('reads a complete production environment', () => {
    const config = loadConfig(
      {
        PORT: '8080',
        PUBLIC_URL: 'https://chat.example.com/',
        DATABASE_URL: 'postgres://cloop@db/cloop',
        REDIS_URL: 'redis://cache:6379',
        JWT_SECRET: SECRET,
        AUDIT_KEY,
        ALLOW_SIGNUP: 'false',
        TRUST_PROXY: '2',
        LLM_BASE_URL: 'https://llm.example.com/v1/',
        LLM_MODEL: 'small',
        LOG_LEVEL: 'WARN',
        SHUTDOWN_GRACE_MS: '30000',
        SHUTDOWN_DELAY_MS: '5000',
        RETENTION_INTERVAL_MS: '600000',
      },
      CWD,
    );

    expect(config).toMatchObject({
      port: 8080,
      publicUrl: 'https://chat.example.com',
      database: { kind: 'postgres', url: 'postgres://cloop@db/cloop' },
      redisUrl: 'redis://cache:6379',
      jwtSecret: SECRET,
      auditKey: AUDIT_KEY,
      allowSignup: false,
      trustProxyHops: 2,
      llm: {
        baseUrl: 'https://llm.example.com/v1',
        apiKey: null,
        model: 'small',
        monthlyTokenBudget: 500000,
        timeoutMs: 30000,
      },
      logLevel: 'warn',
      shutdownGraceMs: 30_000,
      shutdownDelayMs: 5_000,
      retentionIntervalMs: 600_000,
    });
  });

  it.each<[string, NodeJS.ProcessEnv, string]>([
    ['PORT is not a number', { PORT: 'abc' }, 'PORT'],
    ['PORT is out of range', { PORT: '70000' }, 'PORT'],
    ['HOST is not an address', { HOST: 'http://0.0.0.0' }, 'HOST'],
    ['HOST has a port', { HOST: '0.0.0.0:3000' }, 'HOST'],
    [
      'DATABASE_URL is not PostgreSQL',
      { DATABASE_URL: 'mysql://x', JWT_SECRET: SECRET, AUDIT_KEY },
      'DATABASE_URL',
    ],
    ['REDIS_URL is not Redis', { REDIS_URL: 'http://x' }, 'REDIS_URL'],
    ['JWT_SECRET is too short', { JWT_SECRET: 'short' }, 'JWT_SECRET'],
    [
      'DATABASE_URL comes without JWT_SECRET',
      { DATABASE_URL: 'postgres://db/cloop', AUDIT_KEY },
      'JWT_SECRET',
    ],
    [
      'DATABASE_URL comes without AUDIT_KEY',
      { DATABASE_URL: 'postgres://db/cloop', JWT_SECRET: SECRET },
      'AUDIT_KEY',
    ],
    ['AUDIT_KEY is too short', { AUDIT_KEY: 'short' }, 'AUDIT_KEY'],
    ['AUDIT_KEY is the JWT secret', { AUDIT_KEY: SECRET, JWT_SECRET: SECRET }, 'AUDIT_KEY'],
    ['ALLOW_SIGNUP is not a boolean', { ALLOW_SIGNUP: 'maybe' }, 'ALLOW_SIGNUP'],
    ['LOG_LEVEL is unknown', { LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
    ['PUBLIC_URL is not http(s)', { PUBLIC_URL: 'ftp://x' }, 'PUBLIC_URL'],
    ['LLM_BASE_URL comes without LLM_MODEL', { LLM_BASE_URL: 'https://llm.example.com' }, 'LLM_MODEL'],
    ['LLM_MODEL comes without LLM_BASE_URL', { LLM_MODEL: 'small' }, 'LLM_BASE_URL'],
    ['CRAWL_RECRAWL_DAYS is not a number of days', { CRAWL_RECRAWL_DAYS: 'weekly' }, 'CRAWL_RECRAWL_DAYS'],
    ['TRUST_PROXY is neither a boolean nor a hop count', { TRUST_PROXY: 'abc' }, 'TRUST_PROXY'],
    ['SHUTDOWN_GRACE_MS is not a number', { SHUTDOWN_GRACE_MS: '10s' }, 'SHUTDOWN_GRACE_MS'],
    ['SHUTDOWN_GRACE_MS is over ten minutes', { SHUTDOWN_GRACE_MS: '600001' }, 'SHUTDOWN_GRACE_MS'],
    ['SHUTDOWN_DELAY_MS is negative', { SHUTDOWN_DELAY_MS: '-1' }, 'SHUTDOWN_DELAY_MS'],
    ['SHUTDOWN_DELAY_MS is over ten minutes', { SHUTDOWN_DELAY_MS: '600001' }, 'SHUTDOWN_DELAY_MS'],
    ['RETENTION_INTERVAL_MS is under a second', { RETENTION_INTERVAL_MS: '999' }, 'RETENTION_INTERVAL_MS'],
    ['RETENTION_INTERVAL_MS is over a week', { RETENTION_INTERVAL_MS: '604800001' }, 'RETENTION_INTERVAL_MS'],
    [
      'CRAWL_ALLOW_PRIVATE_NETWORKS is not a boolean',
      { CRAWL_ALLOW_PRIVATE_NETWORKS: 'yes please' },
      'CRAWL_ALLOW_PRIVATE_NETWORKS',
    ],
    [
      'LLM_MONTHLY_TOKEN_BUDGET is not a number',
      { LLM_BASE_URL: 'https://llm.example.com', LLM_MODEL: 'small', LLM_MONTHLY_TOKEN_BUDGET: 'lots' },
      'LLM_MONTHLY_TOKEN_BUDGET',
    ],
    ['EMBEDDING_MODEL comes without a base URL', { EMBEDDING_MODEL: 'embed' }, 'EMBEDDING_BASE_URL'],
    [
      'EMBEDDING_BASE_URL is not http(s)',
      { EMBEDDING_MODEL: 'embed', EMBEDDING_BASE_URL: 'ftp://x' },
      'EMBEDDING_BASE_URL',
    ],
    ['EMBEDDING_API_KEY comes without EMBEDDING_MODEL', { EMBEDDING_API_KEY: 'k' }, 'EMBEDDING_MODEL'],
    [
      'LLM_TIMEOUT_MS is too short',
      { LLM_BASE_URL: 'https://llm.example.com', LLM_MODEL: 'small', LLM_TIMEOUT_MS: '5' },
      'LLM_TIMEOUT_MS',
    ],
  ])('refuses to start when %s, naming the variable', (_, env, variable) => {
    const error = configErrorFor(env);

    expect(error.problems).toHaveLength(1);
    expect(error.problems[0]).toContain(variable);
    expect(error.message).toContain(variable);
  });

  it('takes the embedding provider from the model provider unless told otherwise', () => {
    const shared = loadConfig(
      {
        LLM_BASE_URL: 'https://llm.example.com/v1',
        LLM_MODEL: 'chat',
        LLM_API_KEY: 'k1',
        EMBEDDING_MODEL: 'embed',
      },
      CWD,
    );
    expect(shared.embeddings).toEqual({
      baseUrl: 'https://llm.example.com/v1',
      apiKey: 'k1',
      model: 'embed',
    });

    // Another provider never receives the model provider's key.
    const separate = loadConfig(
      {
        LLM_BASE_URL: 'https://llm.example.com/v1',
        LLM_MODEL: 'chat',
        LLM_API_KEY: 'k1',
        EMBEDDING_MODEL: 'embed',
        EMBEDDING_BASE_URL: 'https://embed.example.com/v1/',
      },
      CWD,
    );
    expect(separate.embeddings).toEqual({
      baseUrl: 'https://embed.example.com/v1',
      apiKey: null,
      model: 'embed',
    });
  });

  it('uses the default rate limits unless RATE_LIMITS overrides some of them', () => {
    expect(loadConfig({}, CWD).rateLimits).toEqual(DEFAULT_RATE_LIMITS);
    expect(loadConfig({ RATE_LIMITS: '{"chat": {"limit": 9000}}' }, CWD).rateLimits).toEqual({
      ...DEFAULT_RATE_LIMITS,
      chat: { limit: 9000, windowMs: DEFAULT_RATE_LIMITS.chat.windowMs },
    });
  });

  it('fails to boot on a bad RATE_LIMITS, naming the variable', () => {
    expect(configErrorFor({ RATE_LIMITS: '{"chatt": {"limit": 1}}' }).message).toContain(
      'RATE_LIMITS has an unknown rule "chatt"',
    );
    expect(configErrorFor({ RATE_LIMITS: '{"chat": {"limit": -5}}' }).message).toContain(
      'RATE_LIMITS.chat.limit',
    );
  });

  it('sends no e-mail unless SMTP_URL and MAIL_FROM are both set', () => {
    expect(loadConfig({}, CWD).mail).toBeNull();
    expect(
      loadConfig(
        { SMTP_URL: 'smtps://u:p@mail.example.com:465', MAIL_FROM: 'Cloop <cloop@example.com>' },
        CWD,
      ).mail,
    ).toEqual({ smtpUrl: 'smtps://u:p@mail.example.com:465', from: 'Cloop <cloop@example.com>' });
  });

  it.each<[Record<string, string>, string]>([
    [{ SMTP_URL: 'smtp://127.0.0.1:2525' }, 'MAIL_FROM is required'],
    [{ MAIL_FROM: 'cloop@example.com' }, 'SMTP_URL is required'],
    [{ SMTP_URL: 'http://mail.example.com', MAIL_FROM: 'cloop@example.com' }, 'SMTP_URL must be'],
    [{ SMTP_URL: 'smtp://127.0.0.1:2525', MAIL_FROM: 'not an address' }, 'MAIL_FROM must be'],
  ])('fails to boot on half or bad mail settings %j', (env, problem) => {
    expect(configErrorFor(env).message).toContain(problem);
  });

  it('reports every bad variable at once', () => {
    const error = configErrorFor({
      PORT: 'abc',
      REDIS_URL: 'http://x',
      LOG_LEVEL: 'loud',
      TRUST_PROXY: 'abc',
    });

    expect(error.problems).toHaveLength(4);
    for (const variable of ['PORT', 'REDIS_URL', 'LOG_LEVEL', 'TRUST_PROXY']) {
      expect(error.message).toContain(variable);
    }
  });
});

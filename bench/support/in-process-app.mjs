// The built app in this process, on in-memory PGlite or, with DATABASE_URL, on a scratch database
// of that server (dropped by close()); with an HTTP helper and the DataSource for bulk seeding.
import 'reflect-metadata';

import { randomBytes, randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const dist = join(import.meta.dirname, '..', '..', 'dist', 'api', 'api', 'src');
const { createApp } = require(join(dist, 'app.factory.js'));
const { loadConfig } = require(join(dist, 'config', 'app-config.js'));
const { openDatabase, IN_MEMORY_EMBEDDED_DATABASE } = require(join(dist, 'database', 'data-source.js'));
const { ENTITIES } = require(join(dist, 'entities.js'));
const { Client } = require('pg');
const { DataSource } = require('typeorm');

/**
 * `env`: more settings, e.g. an embedding model. `databaseUrl`: the PostgreSQL server to make the
 * scratch database on (default `DATABASE_URL`), `null` for embedded PGlite whatever the environment.
 */
export async function startInProcessApp(env = {}, { databaseUrl = process.env.DATABASE_URL } = {}) {
  let scratch = null;
  if (databaseUrl) {
    const admin = new Client({ connectionString: databaseUrl });
    await admin.connect();
    const name = `cloop_bench_${randomBytes(4).toString('hex')}`;
    await admin.query(`CREATE DATABASE ${name}`);
    const url = new URL(databaseUrl);
    url.pathname = `/${name}`;
    scratch = { admin, name, url: url.toString() };
  }
  const config = loadConfig({
    JWT_SECRET: randomBytes(32).toString('base64url'),
    AUDIT_KEY: randomBytes(32).toString('base64url'),
    LOG_LEVEL: 'warn',
    ...(scratch ? { DATABASE_URL: scratch.url } : {}),
    ...env,
  });
  const database = await openDatabase(scratch ? config.database : IN_MEMORY_EMBEDDED_DATABASE, {
    entities: ENTITIES,
  });
  const app = await createApp({
    config: { ...config, jwtSecret: config.jwtSecret, auditKey: config.auditKey },
    database,
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${app.getHttpServer().address().port}`;

  async function api(path, { method = 'GET', body, headers = {} } = {}, retried = false) {
    let response;
    try {
      response = await fetch(base + path, {
        method,
        headers: { 'content-type': 'application/json', ...headers },
        body: body && JSON.stringify(body),
      });
    } catch (error) {
      // A kept-alive connection the server closed while the bench was seeding: once more, afresh.
      if (retried) throw error;
      return api(path, { method, body, headers }, true);
    }
    if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
    return response.json();
  }

  /** A new account, its organization's first site, and the bearer header. */
  async function ownerWithSite(siteOptions = {}) {
    const owner = await api('/api/v1/auth/signup', {
      method: 'POST',
      body: { email: `bench-${randomUUID()}@example.com`, password: 'a bench passphrase', name: 'Bench' },
    });
    const auth = { authorization: `Bearer ${owner.accessToken}` };
    const me = await api('/api/v1/auth/me', { headers: auth });
    const site = await api('/api/v1/sites', {
      method: 'POST',
      headers: auth,
      body: { organizationId: me.organizations[0].id, name: 'Bench', ...siteOptions },
    });
    return { auth, site };
  }

  return {
    base,
    db: app.get(DataSource),
    /** The compiled class's instance in the app, by its file under dist/api/api/src. */
    service: (file, name) => app.get(require(join(dist, file))[name]),
    kind: scratch ? 'PostgreSQL' : 'PGlite',
    api,
    ownerWithSite,
    async close() {
      await app.close();
      if (scratch) {
        await scratch.admin.query(`DROP DATABASE ${scratch.name} WITH (FORCE)`);
        await scratch.admin.end();
      }
    },
  };
}

// What authentication costs: checking one console access token (signature and claims), and the
// latency of cheap routes behind each Passport strategy (console token; site key and origin), as
// p50/p95 over many sequential requests. Prints figures; never fails on time. Run after
// `npx nx run api:compile`:
//   node bench/authentication.mjs               embedded PGlite (in memory)
//   DATABASE_URL=postgres://postgres@127.0.0.1:5432/test node bench/authentication.mjs
// Size: BENCH_REQUESTS (default 2000), BENCH_VERIFICATIONS (default 20000).
import { startInProcessApp } from './support/in-process-app.mjs';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 2000);
const VERIFICATIONS = Number(process.env.BENCH_VERIFICATIONS ?? 20_000);
const ORIGIN = 'https://bench.example';

// Limits no bench run meets: this measures authentication, not the rate limiter's refusals.
const UNLIMITED = { limit: 1_000_000, windowMs: 60_000 };
const app = await startInProcessApp({
  RATE_LIMITS: JSON.stringify({ auth: UNLIMITED, admin: UNLIMITED, public: UNLIMITED, chat: UNLIMITED }),
});
try {
  const { auth, site } = await app.ownerWithSite({ allowedOrigins: [ORIGIN] });
  const token = auth.authorization.slice('Bearer '.length);
  const tokens = app.service('auth/token.service.js', 'TokenService');
  for (let i = 0; i < 1000; i += 1) tokens.verifyAccessToken(token);
  const started = process.hrtime.bigint();
  for (let i = 0; i < VERIFICATIONS; i += 1) {
    if (!tokens.verifyAccessToken(token)) throw new Error('the access token did not verify');
  }
  const perToken = Number(process.hrtime.bigint() - started) / VERIFICATIONS / 1000;
  console.log(`${app.kind}: access token signature and claims: ${perToken.toFixed(1)} µs per token`);

  const routes = [
    ['console token, GET /api/v1/auth/me', '/api/v1/auth/me', auth],
    ['console token and site role, GET /api/v1/sites/:siteId', `/api/v1/sites/${site.id}`, auth],
    [
      'site key and origin, GET /api/v1/widget/config',
      '/api/v1/widget/config',
      {
        'x-cloop-site-key': site.publicKey,
        origin: ORIGIN,
      },
    ],
  ];
  for (const [label, path, headers] of routes) {
    for (let i = 0; i < 100; i += 1) await app.api(path, { headers });
    const times = [];
    for (let i = 0; i < REQUESTS; i += 1) {
      const start = performance.now();
      await app.api(path, { headers });
      times.push(performance.now() - start);
    }
    times.sort((a, b) => a - b);
    const at = (q) => times[Math.min(times.length - 1, Math.floor(q * times.length))].toFixed(2);
    console.log(`${app.kind}: ${label}: p50 ${at(0.5)} ms, p95 ${at(0.95)} ms over ${REQUESTS} requests`);
  }
} finally {
  await app.close();
}

/** `GET /api/health`: the process is alive (liveness). It checks nothing else, so it never flaps. */
export interface HealthResponse {
  status: 'ok';
}

/** A dependency as `GET /api/ready` sees it; `disabled` when it is not configured (no `REDIS_URL`). */
export type DependencyState = 'up' | 'down' | 'disabled';

/**
 * `GET /api/ready`: whether this process can serve traffic (readiness): 200 when the database and,
 * with `REDIS_URL`, Redis answer; 503 naming the one that does not.
 */
export interface ReadyResponse {
  status: 'ok' | 'error';
  database: 'up' | 'down';
  redis: DependencyState;
  /** Shutting down (SIGTERM): finishing what it has, taking nothing new. Not ready. */
  draining: boolean;
}

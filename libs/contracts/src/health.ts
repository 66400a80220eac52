/** `GET /api/health`: the process is alive (liveness). It checks nothing else, so it never flaps. */
export interface HealthResponse {
  status: 'ok';
}

/** A dependency as `GET /api/ready` sees it; `disabled` when it is not configured (no `REDIS_URL`). */
export type DependencyState = 'up' | 'down' | 'disabled';

/**
 * `GET /api/ready`: whether this process can serve traffic (readiness): 200 when the database
 * answers, 503 when it does not or the process is draining. Without Redis a replica still serves
 * (`degraded`, 200): its own sockets get its events, other replicas' arrive once Redis is back and
 * clients catch up, so taking every replica out of rotation would turn that into a full outage.
 */
export interface ReadyResponse {
  status: 'ok' | 'degraded' | 'error';
  database: 'up' | 'down';
  redis: DependencyState;
  /** Shutting down (SIGTERM): finishing what it has, taking nothing new. Not ready. */
  draining: boolean;
}

/**
 * Whether a failure means the database is unreachable for a moment rather than that the request or
 * the code is wrong: PostgreSQL restarting or shutting down, a backend killed by an operator, a
 * dropped connection, or no pooled connection freeing up in time. Such requests get 503 with
 * `Retry-After`; the pool replaces dead connections by itself.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, hops = 0; current instanceof Error && hops < 3; hops += 1) {
    const code = (current as { code?: unknown }).code;
    if (
      typeof code === 'string' &&
      (UNAVAILABLE_SQLSTATES.has(code) || code.startsWith('08') || SOCKET_CODES.has(code))
    )
      return true;
    if (UNAVAILABLE_MESSAGES.test(current.message)) return true;
    // TypeORM's QueryFailedError keeps the driver's error here.
    current = (current as { driverError?: unknown }).driverError;
  }
  return false;
}

/**
 * Class 57P: admin_shutdown (57P01, `pg_terminate_backend` or a restart), crash_shutdown (57P02),
 * cannot_connect_now (57P03, still starting), database_dropped (57P04);
 * 53300 too_many_connections. Class 08 (connection exceptions) is matched by prefix.
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '57P04', '53300']);

/** The socket to the server failed or was refused. */
const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);

/**
 * node-postgres' messages for a connection that died without a SQLSTATE, and pg-pool's when no
 * connection frees up within `connectTimeoutMS`.
 */
const UNAVAILABLE_MESSAGES =
  /^(Connection terminated|Client has encountered a connection error|Client was closed and is not queryable|timeout exceeded when trying to connect)/i;

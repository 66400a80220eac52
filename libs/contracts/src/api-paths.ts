/** Every REST route lives under this prefix (DESIGN §10). */
export const API_PREFIX = '/api/v1';

/** Liveness: the process answers. */
export const HEALTH_PATH = '/api/health';
/** Readiness: the database and Redis (when configured) answer too. */
export const READY_PATH = '/api/ready';
export const OPENAPI_JSON_PATH = '/api/openapi.json';
export const API_DOCS_PATH = '/api/docs';

/** Every REST route lives under this prefix (DESIGN §10). */
export const API_PREFIX = '/api/v1';

export const HEALTH_PATH = '/api/health';
export const OPENAPI_JSON_PATH = '/api/openapi.json';
export const API_DOCS_PATH = '/api/docs';

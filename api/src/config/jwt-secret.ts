import { AUDIT_KEY_MIN_LENGTH, JWT_SECRET_MIN_LENGTH } from './settings';
import { loadOrCreateSecret } from './generated-secret';

/** The token signing secret of an embedded instance, generated on first start (`DATA_DIR/jwt-secret`). */
export function loadOrCreateJwtSecret(dataDir: string): Promise<string> {
  return loadOrCreateSecret(dataDir, 'jwt-secret', JWT_SECRET_MIN_LENGTH);
}

/**
 * The audit key of an embedded instance (`DATA_DIR/audit-key`). Unlike the JWT secret it must never
 * be deleted while the data lives: every keyed audit row and checkpoint depends on it.
 */
export function loadOrCreateAuditKey(dataDir: string): Promise<string> {
  return loadOrCreateSecret(dataDir, 'audit-key', AUDIT_KEY_MIN_LENGTH);
}

import { QueryFailedError } from 'typeorm';

function violates(error: unknown, sqlState: string, constraint?: string): boolean {
  if (!(error instanceof QueryFailedError)) return false;
  const driverError = error.driverError as { code?: string; constraint?: string };
  return driverError.code === sqlState && (constraint === undefined || driverError.constraint === constraint);
}

/** PostgreSQL's `unique_violation`, optionally of one named constraint. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  return violates(error, '23505', constraint);
}

/** PostgreSQL's `foreign_key_violation`: the row pointed at was deleted meanwhile. */
export function isForeignKeyViolation(error: unknown, constraint?: string): boolean {
  return violates(error, '23503', constraint);
}

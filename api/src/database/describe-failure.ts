/**
 * A failure as operations may log it: the error's name and, for a database error, its SQLSTATE,
 * table, constraint, column and the server routine that raised it. Never the message or `detail`
 * of a driver error: they quote the values of a row, such as an email.
 */
export function describeFailure(error: unknown): string {
  if (!(error instanceof Error)) return 'non-error thrown';
  const driver = (error as { driverError?: unknown }).driverError ?? error;
  const facts = Object.entries(DATABASE_FIELDS).flatMap(([field, label]) => {
    const value = (driver as Record<string, unknown>)[field];
    return typeof value === 'string' && value !== '' ? [`${label} ${value}`] : [];
  });
  return facts.length > 0 ? `${error.name} (${facts.join(', ')})` : error.name;
}

/** Fields of node-postgres' `DatabaseError` that name things, never values. */
const DATABASE_FIELDS: Record<string, string> = {
  code: 'SQLSTATE',
  table: 'table',
  constraint: 'constraint',
  column: 'column',
  routine: 'routine',
};

/**
 * PostgreSQL refuses U+0000 in `text` and `jsonb`. Finding it up front turns what would be a
 * database error (a 500) into a clear 400, whichever field it hides in.
 */
export function containsNulByte(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(containsNulByte);
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).some(([key, item]) => key.includes('\u0000') || containsNulByte(item));
  }
  return false;
}

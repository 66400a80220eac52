import { HttpErrorResponse } from '@angular/common/http';
import type { ErrorResponse } from '@cloop/contracts';

export type SiteField =
  | 'name'
  | 'origins'
  | 'color'
  | 'assistantName'
  | 'greeting'
  | 'privacyUrl'
  | 'retentionDays';

/** The request's property path (as the API's `details` name it) → the form field that edits it. */
const FIELDS: [RegExp, SiteField][] = [
  [/\ballowedOrigins\b/, 'origins'],
  [/\bwidget\.assistantName\b/, 'assistantName'],
  [/\bwidget\.greeting\b/, 'greeting'],
  [/\bwidget\.privacyUrl\b/, 'privacyUrl'],
  [/\bwidget\.color\b/, 'color'],
  [/\bretentionDays\b/, 'retentionDays'],
  [/(^|[^.\w])name\b/, 'name'],
];

/**
 * The fields a 400 `VALIDATION_FAILED` complains about, so the form can mark them: "Check the
 * highlighted fields" must point at something.
 */
export function invalidFields(error: unknown): Set<SiteField> {
  const fields = new Set<SiteField>();
  if (!(error instanceof HttpErrorResponse)) return fields;
  const body = error.error as Partial<ErrorResponse> | null;
  const details = Array.isArray(body?.details) ? body.details : [];
  for (const detail of details) {
    for (const [pattern, field] of FIELDS) if (pattern.test(detail)) fields.add(field);
  }
  return fields;
}

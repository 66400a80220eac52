import { HttpErrorResponse } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { ErrorResponse, PrivacySubjectRequest } from '@cloop/contracts';

import { saveDownload } from '../../core/http/download';
import { errorCode } from '../../core/http/errors';
import { exportedRows, parseSubject } from './privacy-subject';
import { PrivacyApi } from './privacy.api';

/** What came of an export or erasure, as the admin is told. Empty results are not successes. */
export type Outcome =
  | { kind: 'exported'; rows: number }
  | { kind: 'emptyExport' }
  | { kind: 'erased'; rows: number }
  | { kind: 'nothingErased' }
  | { kind: 'invalid' }
  | { kind: 'conversationNotFound' }
  | { kind: 'failed'; forbidden: boolean };

/**
 * Export and erasure of one visitor, shared by the privacy page and the conversation view. The
 * export is read before it is saved: a document with no rows is reported, not downloaded.
 */
@Injectable({ providedIn: 'root' })
export class VisitorRequests {
  private readonly api = inject(PrivacyApi);

  /** Turns what the admin typed into a subject, looking a conversation link up. */
  async resolve(siteId: string, raw: string): Promise<PrivacySubjectRequest | Outcome> {
    const input = parseSubject(raw);
    if (input.kind === 'invalid') return { kind: 'invalid' };
    if (input.kind === 'subject') return input.subject;
    try {
      const found = await this.api.conversationSubject(siteId, input.conversationId);
      return { visitorId: found.visitorId };
    } catch (error) {
      return errorCode(error) === 'CONVERSATION_NOT_FOUND'
        ? { kind: 'conversationNotFound' }
        : failedOutcome(error);
    }
  }

  async export(siteId: string, subject: PrivacySubjectRequest): Promise<Outcome> {
    try {
      const response = await this.api.export(siteId, subject);
      const text = (await response.body?.text()) ?? '';
      const rows = exportedRows(JSON.parse(text) as unknown);
      if (rows === 0) return { kind: 'emptyExport' };
      saveDownload(response, 'cloop-export.json');
      return { kind: 'exported', rows };
    } catch (error) {
      return failedOutcome(await withBlobBody(error));
    }
  }

  async erase(siteId: string, subject: PrivacySubjectRequest): Promise<Outcome> {
    try {
      const result = await this.api.erase(siteId, subject);
      const rows = Object.values(result.deleted).reduce((sum, n) => sum + n, 0);
      return rows === 0 ? { kind: 'nothingErased' } : { kind: 'erased', rows };
    } catch (error) {
      return failedOutcome(error);
    }
  }
}

export const isOutcome = (value: PrivacySubjectRequest | Outcome): value is Outcome => 'kind' in value;

/** A request the API refused or that did not arrive. */
export function failedOutcome(error: unknown): Outcome {
  return { kind: 'failed', forbidden: errorCode(error) === 'FORBIDDEN' };
}

/** An export's error body arrives as a Blob (the request asked for one): parse it for its code. */
async function withBlobBody(error: unknown): Promise<unknown> {
  if (!(error instanceof HttpErrorResponse) || !(error.error instanceof Blob)) return error;
  try {
    const body = JSON.parse(await error.error.text()) as ErrorResponse;
    return new HttpErrorResponse({ error: body, status: error.status });
  } catch {
    return error;
  }
}

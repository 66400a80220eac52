import { inject, Injectable, signal } from '@angular/core';
import type { AuditEvent, PrivacyRequest, PrivacySubjectRequest } from '@cloop/contracts';

import { saveDownload } from '../../core/http/download';
import { errorCode } from '../../core/http/errors';
import { PrivacyApi } from './privacy.api';

export type Outcome =
  | { kind: 'exported' }
  | { kind: 'erased'; rows: number }
  | { kind: 'failed'; forbidden: boolean };

/** A request is overdue when it is still open after its due date (one month, GDPR Art. 12(3)). */
export function isOverdue(request: PrivacyRequest, now: Date = new Date()): boolean {
  return request.completedAt === null && new Date(request.dueAt).getTime() < now.getTime();
}

/** Export and erasure for one site, its request ledger, and the organization's audit trail. */
@Injectable()
export class PrivacyStore {
  private readonly api = inject(PrivacyApi);

  readonly requests = signal<PrivacyRequest[]>([]);
  readonly requestsCursor = signal<string | null>(null);
  readonly events = signal<AuditEvent[]>([]);
  readonly eventsCursor = signal<string | null>(null);
  readonly busy = signal(false);
  readonly outcome = signal<Outcome | null>(null);
  readonly forbidden = signal(false);

  async loadRequests(siteId: string, more = false): Promise<void> {
    try {
      const page = await this.api.requests(siteId, more ? (this.requestsCursor() ?? undefined) : undefined);
      this.requests.update((items) => (more ? [...items, ...page.items] : page.items));
      this.requestsCursor.set(page.nextCursor);
      this.forbidden.set(false);
    } catch (error) {
      this.forbidden.set(errorCode(error) === 'FORBIDDEN');
    }
  }

  async loadAudit(organizationId: string, more = false): Promise<void> {
    try {
      const page = await this.api.auditEvents(
        organizationId,
        more ? (this.eventsCursor() ?? undefined) : undefined,
      );
      this.events.update((items) => (more ? [...items, ...page.items] : page.items));
      this.eventsCursor.set(page.nextCursor);
      this.forbidden.set(false);
    } catch (error) {
      this.forbidden.set(errorCode(error) === 'FORBIDDEN');
    }
  }

  async export(siteId: string, subject: PrivacySubjectRequest): Promise<void> {
    await this.run(siteId, async () => {
      saveDownload(await this.api.export(siteId, subject), 'cloop-export.json');
      return { kind: 'exported' };
    });
  }

  async erase(siteId: string, subject: PrivacySubjectRequest): Promise<void> {
    await this.run(siteId, async () => {
      const result = await this.api.erase(siteId, subject);
      return { kind: 'erased', rows: Object.values(result.deleted).reduce((sum, n) => sum + n, 0) };
    });
  }

  private async run(siteId: string, work: () => Promise<Outcome>): Promise<void> {
    this.busy.set(true);
    this.outcome.set(null);
    try {
      this.outcome.set(await work());
    } catch (error) {
      this.outcome.set({ kind: 'failed', forbidden: errorCode(error) === 'FORBIDDEN' });
    } finally {
      this.busy.set(false);
    }
    await this.loadRequests(siteId);
  }
}

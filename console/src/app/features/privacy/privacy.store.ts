import { inject, Injectable, signal } from '@angular/core';
import type { AuditEvent, PrivacyRequest, PrivacySubjectRequest } from '@cloop/contracts';

import { errorCode } from '../../core/http/errors';
import { PrivacyApi } from './privacy.api';
import { isOutcome, type Outcome, VisitorRequests } from './visitor-requests';

export type { Outcome } from './visitor-requests';

/** A request is overdue when it is still open after its due date (one month, GDPR Art. 12(3)). */
export function isOverdue(request: PrivacyRequest, now: Date = new Date()): boolean {
  return request.completedAt === null && new Date(request.dueAt).getTime() < now.getTime();
}

/** Export and erasure for one site, its request ledger, and the organization's audit trail. */
@Injectable()
export class PrivacyStore {
  private readonly api = inject(PrivacyApi);
  private readonly visitorRequests = inject(VisitorRequests);

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

  /** `subject` is what the admin typed: a visitor id, an email or a conversation link. */
  async export(siteId: string, subject: string): Promise<void> {
    await this.run(siteId, subject, (resolved) => this.visitorRequests.export(siteId, resolved));
  }

  async erase(siteId: string, subject: string): Promise<void> {
    await this.run(siteId, subject, (resolved) => this.visitorRequests.erase(siteId, resolved));
  }

  private async run(
    siteId: string,
    subject: string,
    work: (resolved: PrivacySubjectRequest) => Promise<Outcome>,
  ): Promise<void> {
    this.busy.set(true);
    this.outcome.set(null);
    try {
      const resolved = await this.visitorRequests.resolve(siteId, subject);
      if (isOutcome(resolved)) {
        this.outcome.set(resolved);
        return;
      }
      this.outcome.set(await work(resolved));
      await this.loadRequests(siteId);
    } finally {
      this.busy.set(false);
    }
  }
}

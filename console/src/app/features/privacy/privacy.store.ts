import { computed, inject, Injectable, signal } from '@angular/core';
import type { AuditEvent, PrivacyRequest, PrivacySubjectRequest } from '@cloop/contracts';

import { errorCode } from '../../core/http/errors';
import { SiteContext } from '../../core/site/site-context';
import { Action } from '../../core/state/action';
import { PrivacyApi } from './privacy.api';
import { failedOutcome, isOutcome, type Outcome, VisitorRequests } from './visitor-requests';

export type { Outcome } from './visitor-requests';

/** A request is overdue when it is still open after its due date (one month, GDPR Art. 12(3)). */
export function isOverdue(request: PrivacyRequest, now: Date = new Date()): boolean {
  return request.completedAt === null && new Date(request.dueAt).getTime() < now.getTime();
}

/** Export and erasure for the selected site, its request ledger, and the organization's audit trail. */
@Injectable()
export class PrivacyStore {
  private readonly api = inject(PrivacyApi);
  private readonly visitorRequests = inject(VisitorRequests);
  private readonly sites = inject(SiteContext);
  /** `VisitorRequests` answers every refusal as an outcome; anything else thrown is one too. */
  private readonly action = new Action(failedOutcome);
  private readonly result = signal<Outcome | null>(null);
  private readonly requestList = signal<PrivacyRequest[]>([]);
  private readonly requestsNext = signal<string | null>(null);
  private readonly eventList = signal<AuditEvent[]>([]);
  private readonly eventsNext = signal<string | null>(null);
  private readonly forbiddenValue = signal(false);

  readonly requests = this.requestList.asReadonly();
  readonly requestsCursor = this.requestsNext.asReadonly();
  readonly events = this.eventList.asReadonly();
  readonly eventsCursor = this.eventsNext.asReadonly();
  readonly busy = this.action.busy;
  readonly outcome = computed(() => this.action.error() ?? this.result());
  readonly forbidden = this.forbiddenValue.asReadonly();

  /** The page shows the selected site (again): its ledger, without the last site's outcome. */
  async showSelectedSite(): Promise<void> {
    this.result.set(null);
    this.action.clear();
    await this.loadRequests();
  }

  async loadRequests(more = false): Promise<void> {
    const siteId = this.sites.siteId();
    if (!siteId) return;
    try {
      const page = await this.api.requests(siteId, more ? (this.requestsNext() ?? undefined) : undefined);
      this.requestList.update((items) => (more ? [...items, ...page.items] : page.items));
      this.requestsNext.set(page.nextCursor);
      this.forbiddenValue.set(false);
    } catch (error) {
      this.forbiddenValue.set(errorCode(error) === 'FORBIDDEN');
    }
  }

  async loadAudit(organizationId: string, more = false): Promise<void> {
    try {
      const page = await this.api.auditEvents(
        organizationId,
        more ? (this.eventsNext() ?? undefined) : undefined,
      );
      this.eventList.update((items) => (more ? [...items, ...page.items] : page.items));
      this.eventsNext.set(page.nextCursor);
      this.forbiddenValue.set(false);
    } catch (error) {
      this.forbiddenValue.set(errorCode(error) === 'FORBIDDEN');
    }
  }

  /** `subject` is what the admin typed: a visitor id, an email or a conversation link. */
  async export(subject: string): Promise<void> {
    await this.run(subject, (siteId, resolved) => this.visitorRequests.export(siteId, resolved));
  }

  async erase(subject: string): Promise<void> {
    await this.run(subject, (siteId, resolved) => this.visitorRequests.erase(siteId, resolved));
  }

  private async run(
    subject: string,
    work: (siteId: string, resolved: PrivacySubjectRequest) => Promise<Outcome>,
  ): Promise<void> {
    const siteId = this.sites.siteId();
    if (!siteId) return;
    this.result.set(null);
    await this.action.run(async () => {
      const resolved = await this.visitorRequests.resolve(siteId, subject);
      if (isOutcome(resolved)) {
        this.result.set(resolved);
        return;
      }
      this.result.set(await work(siteId, resolved));
      await this.loadRequests();
    });
  }
}

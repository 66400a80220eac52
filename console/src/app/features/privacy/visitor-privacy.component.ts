import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import type { PrivacyConversationSubject } from '@cloop/contracts';

import { TranslatePipe } from '../../core/i18n/t.pipe';
import { Action } from '../../core/state/action';
import { ConfirmDialogComponent } from '../../shared/ui/confirm-dialog.component';
import { CopyButtonComponent } from '../../shared/ui/copy-button.component';
import { PrivacyOutcomeComponent } from './privacy-outcome.component';
import { PrivacyApi } from './privacy.api';
import { failedOutcome, type Outcome, VisitorRequests } from './visitor-requests';

/**
 * A conversation's visitor for privacy requests, where the admin already is: the widget's visitor
 * id (copyable), export, and erasure after a confirmation. For admins and owners, as the API is.
 */
@Component({
  selector: 'cl-visitor-privacy',
  imports: [ConfirmDialogComponent, CopyButtonComponent, PrivacyOutcomeComponent, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (subject(); as found) {
      <div class="row visitor-privacy" data-testid="visitor-privacy">
        <span class="muted" [title]="'inbox.visitorIdHint' | t">{{ 'inbox.visitorId' | t }}:</span>
        <code class="visitor-id" data-testid="visitor-id">{{ found.visitorId }}</code>
        <cl-copy-button [text]="found.visitorId" />
        <span class="spacer"></span>
        <button type="button" data-testid="export-visitor" [disabled]="busy()" (click)="exportData(found)">
          {{ 'inbox.exportVisitor' | t }}
        </button>
        <button
          type="button"
          class="danger"
          data-testid="erase-visitor"
          [disabled]="busy()"
          (click)="confirmErase.open()"
        >
          {{ 'inbox.eraseVisitor' | t }}
        </button>
      </div>
      <cl-privacy-outcome [outcome]="outcome()" />
      <cl-confirm-dialog
        #confirmErase
        [message]="'inbox.eraseConfirm' | t"
        [confirmLabel]="'privacy.erase' | t"
        (confirmed)="erase(found)"
      />
    }
  `,
})
export class VisitorPrivacyComponent {
  readonly siteId = input.required<string>();
  readonly conversationId = input.required<string>();
  private readonly api = inject(PrivacyApi);
  private readonly requests = inject(VisitorRequests);
  protected readonly subject = signal<PrivacyConversationSubject | null>(null);
  private readonly action = new Action(failedOutcome);
  private readonly result = signal<Outcome | null>(null);
  protected readonly busy = this.action.busy;
  protected readonly outcome = computed(() => this.action.error() ?? this.result());

  constructor() {
    effect(() => {
      const siteId = this.siteId();
      const conversationId = this.conversationId();
      untracked(() => void this.load(siteId, conversationId));
    });
  }

  private async load(siteId: string, conversationId: string): Promise<void> {
    this.subject.set(null);
    this.result.set(null);
    this.action.clear();
    try {
      const found = await this.api.conversationSubject(siteId, conversationId);
      if (this.conversationId() === conversationId) this.subject.set(found);
    } catch {
      // Gone meanwhile, or not allowed: the panel stays away.
    }
  }

  protected async exportData(found: PrivacyConversationSubject): Promise<void> {
    await this.run(() => this.requests.export(this.siteId(), { visitorId: found.visitorId }));
  }

  protected async erase(found: PrivacyConversationSubject): Promise<void> {
    await this.run(() => this.requests.erase(this.siteId(), { visitorId: found.visitorId }));
  }

  private async run(work: () => Promise<Outcome>): Promise<void> {
    this.result.set(null);
    await this.action.run(async () => this.result.set(await work()));
  }
}

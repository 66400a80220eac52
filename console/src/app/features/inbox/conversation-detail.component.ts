import { ChangeDetectionStrategy, Component, computed, inject, input, output, signal } from '@angular/core';
import { LEAD_STATUSES, MESSAGE_BODY_MAX_LENGTH, PHASES, type Transcript } from '@cloop/contracts';

import { managesOrganization } from '../../core/auth/roles';
import { I18n } from '../../core/i18n/i18n';
import { authorKey, leadKey, phaseKey } from '../../core/i18n/labels';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { Realtime } from '../../core/realtime/realtime';
import { SiteContext } from '../../core/site/site-context';
import { Action } from '../../core/state/action';
import { ConfirmDialogComponent } from '../../shared/ui/confirm-dialog.component';
import { VisitorPrivacyComponent } from '../privacy/visitor-privacy.component';
import { InboxStore } from './inbox.store';

/** The widget shows "typing…" for 6 s after each hint: one every 2 s keeps it up while the agent types. */
const TYPING_HINT_INTERVAL_MS = 2000;

/** One conversation: facts, phase and lead status, the transcript (text by interpolation only), a reply box. */
@Component({
  selector: 'cl-conversation-detail',
  imports: [ConfirmDialogComponent, VisitorPrivacyComponent, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './conversation-detail.component.html',
  host: { class: 'detail' },
})
export class ConversationDetailComponent {
  readonly transcript = input.required<Transcript>();
  readonly deleted = output<void>();
  private readonly store = inject(InboxStore);
  protected readonly sites = inject(SiteContext);
  private readonly realtime = inject(Realtime);
  /** When the visitor was last told that the agent types (the server also drops hints sent faster). */
  private typingSentAt = 0;
  protected readonly i18n = inject(I18n);
  protected readonly phases = PHASES;
  protected readonly leads = LEAD_STATUSES;
  protected readonly maxLength = MESSAGE_BODY_MAX_LENGTH;
  protected readonly phaseKey = phaseKey;
  protected readonly leadKey = leadKey;
  protected readonly authorKey = authorKey;
  protected readonly draft = signal('');
  /** Sending a reply (busy) and any change here that failed (one line says so). */
  protected readonly changes = new Action(() => true);
  protected readonly visitorTyping = computed(
    () => this.store.typingIn() === this.transcript().conversation.id,
  );
  /** Deleting conversations is for admins and owners of the site's organization. */
  protected readonly canDelete = computed(() => {
    const organization = this.sites.organization();
    const ofThisSite = organization !== null && organization.id === this.sites.site()?.organizationId;
    return ofThisSite && managesOrganization(organization.role);
  });

  protected input(event: Event): void {
    this.draft.set((event.target as HTMLTextAreaElement).value);
    const now = Date.now();
    if (now - this.typingSentAt < TYPING_HINT_INTERVAL_MS) return;
    this.typingSentAt = now;
    this.realtime.typing(this.transcript().conversation.id);
  }

  protected keydown(event: KeyboardEvent): void {
    if (event.key === 'Enter' && !event.shiftKey) void this.send(event);
  }

  protected async send(event: Event): Promise<void> {
    event.preventDefault();
    if (this.changes.busy() || !this.draft().trim()) return;
    await this.changes.run(async () => {
      if (await this.store.reply(this.draft())) this.draft.set('');
    });
  }

  protected setPhase(event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    const phase = this.phases.find((p) => p === value);
    if (phase) void this.store.update({ phase }).catch((error: unknown) => this.changes.report(error));
  }

  protected setLead(event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    const leadStatus = this.leads.find((l) => l === value);
    if (leadStatus)
      void this.store.update({ leadStatus }).catch((error: unknown) => this.changes.report(error));
  }

  protected async remove(): Promise<void> {
    try {
      await this.store.remove();
      this.deleted.emit();
    } catch (error) {
      this.changes.report(error);
    }
  }
}

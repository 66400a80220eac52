import { ChangeDetectionStrategy, Component, effect, inject, signal, untracked } from '@angular/core';
import {
  type ErrorCode,
  WEBHOOK_EVENT_TYPES,
  type WebhookDeliveryStatus,
  type WebhookEndpoint,
  type WebhookEventType,
} from '@cloop/contracts';

import { I18n } from '../../core/i18n/i18n';
import type { MessageKey } from '../../core/i18n/messages.en';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { SiteContext } from '../../core/site/site-context';
import { ConfirmDialogComponent } from '../../shared/ui/confirm-dialog.component';
import { CopyButtonComponent } from '../../shared/ui/copy-button.component';
import { EmptyRowComponent } from '../../shared/ui/empty-row.component';
import { lastOutcome, WebhooksStore } from './webhooks.store';

const eventKey = (type: WebhookEventType): MessageKey => `webhooks.event.${type}` as const;
const statusKey = (status: WebhookDeliveryStatus): MessageKey => `webhooks.status.${status}` as const;

const ERROR_KEYS: Partial<Record<ErrorCode, MessageKey>> = {
  VALIDATION_FAILED: 'webhooks.error.invalid',
  WEBHOOK_LIMIT_REACHED: 'webhooks.error.limit',
  WEBHOOK_DISABLED: 'webhooks.error.disabled',
  FORBIDDEN: 'webhooks.adminOnly',
};

/** The selected site's webhook endpoints: add, enable, test, rotate, delete, and each one's log. */
@Component({
  selector: 'cl-webhooks-page',
  imports: [EmptyRowComponent, ConfirmDialogComponent, CopyButtonComponent, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './webhooks.page.html',
})
export class WebhooksPage {
  protected readonly store = inject(WebhooksStore);
  protected readonly sites = inject(SiteContext);
  protected readonly i18n = inject(I18n);
  protected readonly eventTypes = WEBHOOK_EVENT_TYPES;
  protected readonly eventKey = eventKey;
  protected readonly statusKey = statusKey;
  protected readonly lastOutcome = lastOutcome;
  protected readonly url = signal('');
  protected readonly events = signal<WebhookEventType[]>(['lead.captured', 'privacy.erased']);
  /** The endpoint a confirmation dialog is about. */
  protected readonly target = signal<WebhookEndpoint | null>(null);

  constructor() {
    // The store reads the selected site itself; this page reloads it whenever the selection changes.
    effect(() => {
      if (this.sites.siteId()) untracked(() => void this.store.load());
    });
  }

  protected errorKey(code: ErrorCode): MessageKey {
    return ERROR_KEYS[code] ?? 'app.error';
  }

  protected setUrl(event: Event): void {
    this.url.set((event.target as HTMLInputElement).value);
  }

  protected toggleEvent(type: WebhookEventType, event: Event): void {
    const checked = (event.target as HTMLInputElement).checked;
    this.events.update((events) =>
      checked ? [...events.filter((e) => e !== type), type] : events.filter((e) => e !== type),
    );
  }

  protected async add(event: Event): Promise<void> {
    event.preventDefault();
    if (!this.url().trim() || this.events().length === 0) return;
    if (await this.store.create(this.url(), this.events())) {
      this.url.set('');
      (event.target as HTMLFormElement).reset();
      this.events.set(['lead.captured', 'privacy.erased']);
    }
  }

  protected ask(dialog: ConfirmDialogComponent, endpoint: WebhookEndpoint): void {
    this.target.set(endpoint);
    dialog.open();
  }

  protected rotate(): void {
    const endpoint = this.target();
    if (endpoint) void this.store.rotate(endpoint.id);
  }

  protected remove(): void {
    const endpoint = this.target();
    if (endpoint) void this.store.remove(endpoint.id);
  }

  protected refreshLog(more = false): void {
    const webhookId = this.store.openLog();
    if (webhookId) void this.store.loadDeliveries(webhookId, more);
  }

  protected redeliver(deliveryId: string): void {
    const webhookId = this.store.openLog();
    if (webhookId) void this.store.redeliver(webhookId, deliveryId);
  }

  protected urlOf(webhookId: string): string {
    return this.store.endpoints().find((endpoint) => endpoint.id === webhookId)?.url ?? '';
  }
}

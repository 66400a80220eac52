import { inject, Injectable, signal } from '@angular/core';
import type { ErrorCode, WebhookDelivery, WebhookEndpoint, WebhookEventType } from '@cloop/contracts';

import { errorCode } from '../../core/http/errors';
import { WebhooksApi } from './webhooks.api';

/** A secret just issued: shown once, until the user dismisses it. */
export interface RevealedSecret {
  webhookId: string;
  secret: string;
}

/** What a delivery's last attempt says, for the log: a status code, an error, or nothing yet. */
export function lastOutcome(delivery: WebhookDelivery): string | null {
  if (delivery.lastStatusCode !== null) return String(delivery.lastStatusCode);
  return delivery.lastError;
}

/** Endpoints of the selected site, the one whose log is open, and a secret to show once. */
@Injectable()
export class WebhooksStore {
  private readonly api = inject(WebhooksApi);

  readonly endpoints = signal<WebhookEndpoint[]>([]);
  readonly loaded = signal(false);
  readonly forbidden = signal(false);
  readonly busy = signal(false);
  /** The API's code of the last failed change (`null`: none, `INTERNAL_ERROR` when unknown). */
  readonly error = signal<ErrorCode | null>(null);
  readonly revealed = signal<RevealedSecret | null>(null);
  readonly openLog = signal<string | null>(null);
  readonly deliveries = signal<WebhookDelivery[]>([]);
  readonly deliveriesCursor = signal<string | null>(null);
  /** The endpoint a test event was just queued for. */
  readonly tested = signal<string | null>(null);

  async load(siteId: string): Promise<void> {
    this.revealed.set(null);
    this.openLog.set(null);
    this.deliveries.set([]);
    try {
      const page = await this.api.list(siteId);
      this.endpoints.set(page.items);
      this.forbidden.set(false);
    } catch (error) {
      this.endpoints.set([]);
      this.forbidden.set(errorCode(error) === 'FORBIDDEN');
    } finally {
      this.loaded.set(true);
    }
  }

  async create(siteId: string, url: string, events: WebhookEventType[]): Promise<boolean> {
    return this.change(async () => {
      const { webhook, secret } = await this.api.create(siteId, { url: url.trim(), events });
      this.endpoints.update((items) => [...items, webhook]);
      this.revealed.set({ webhookId: webhook.id, secret });
    });
  }

  async rotate(siteId: string, webhookId: string): Promise<boolean> {
    return this.change(async () => {
      const { webhook, secret } = await this.api.rotateSecret(siteId, webhookId);
      this.replace(webhook);
      this.revealed.set({ webhookId, secret });
    });
  }

  async setEnabled(siteId: string, webhookId: string, enabled: boolean): Promise<boolean> {
    return this.change(async () => this.replace(await this.api.update(siteId, webhookId, { enabled })));
  }

  async remove(siteId: string, webhookId: string): Promise<boolean> {
    return this.change(async () => {
      await this.api.remove(siteId, webhookId);
      this.endpoints.update((items) => items.filter((item) => item.id !== webhookId));
      if (this.openLog() === webhookId) this.closeLog();
      if (this.revealed()?.webhookId === webhookId) this.revealed.set(null);
    });
  }

  async test(siteId: string, webhookId: string): Promise<boolean> {
    return this.change(async () => {
      await this.api.test(siteId, webhookId);
      this.tested.set(webhookId);
      if (this.openLog() === webhookId) await this.loadDeliveries(siteId, webhookId);
    });
  }

  /** Sends a delivery again; the log shows it pending with a fresh schedule. */
  async redeliver(siteId: string, webhookId: string, deliveryId: string): Promise<boolean> {
    return this.change(async () => {
      const queued = await this.api.redeliver(siteId, webhookId, deliveryId);
      this.deliveries.update((items) => items.map((item) => (item.id === queued.id ? queued : item)));
    });
  }

  /** Opens (or refreshes, or pages through) one endpoint's delivery log. */
  async loadDeliveries(siteId: string, webhookId: string, more = false): Promise<void> {
    const cursor = more && this.openLog() === webhookId ? (this.deliveriesCursor() ?? undefined) : undefined;
    try {
      const page = await this.api.deliveries(siteId, webhookId, cursor);
      this.deliveries.update((items) => (cursor ? [...items, ...page.items] : page.items));
      this.deliveriesCursor.set(page.nextCursor);
      this.openLog.set(webhookId);
    } catch (error) {
      this.error.set(errorCode(error) ?? 'INTERNAL_ERROR');
    }
  }

  closeLog(): void {
    this.openLog.set(null);
    this.deliveries.set([]);
    this.deliveriesCursor.set(null);
  }

  /** The user has stored the secret: it is not kept anywhere in the console after this. */
  dismissSecret(): void {
    this.revealed.set(null);
  }

  private replace(webhook: WebhookEndpoint): void {
    this.endpoints.update((items) => items.map((item) => (item.id === webhook.id ? webhook : item)));
  }

  private async change(work: () => Promise<void>): Promise<boolean> {
    this.busy.set(true);
    this.error.set(null);
    this.tested.set(null);
    try {
      await work();
      return true;
    } catch (error) {
      this.error.set(errorCode(error) ?? 'INTERNAL_ERROR');
      return false;
    } finally {
      this.busy.set(false);
    }
  }
}

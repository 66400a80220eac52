import { inject, Injectable, signal } from '@angular/core';
import type { WebhookDelivery, WebhookEndpoint, WebhookEventType } from '@cloop/contracts';

import { errorCode } from '../../core/http/errors';
import { SiteContext } from '../../core/site/site-context';
import { Action, apiErrorCode } from '../../core/state/action';
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
  private readonly sites = inject(SiteContext);
  private readonly action = new Action(apiErrorCode);
  private readonly endpointList = signal<WebhookEndpoint[]>([]);
  private readonly loadedValue = signal(false);
  private readonly forbiddenValue = signal(false);
  private readonly revealedValue = signal<RevealedSecret | null>(null);
  private readonly openLogValue = signal<string | null>(null);
  private readonly deliveryList = signal<WebhookDelivery[]>([]);
  private readonly cursor = signal<string | null>(null);
  private readonly testedValue = signal<string | null>(null);

  readonly endpoints = this.endpointList.asReadonly();
  readonly loaded = this.loadedValue.asReadonly();
  readonly forbidden = this.forbiddenValue.asReadonly();
  readonly busy = this.action.busy;
  /** The API's code of the last failed change (`null`: none, `INTERNAL_ERROR` when unknown). */
  readonly error = this.action.error;
  readonly revealed = this.revealedValue.asReadonly();
  readonly openLog = this.openLogValue.asReadonly();
  readonly deliveries = this.deliveryList.asReadonly();
  readonly deliveriesCursor = this.cursor.asReadonly();
  /** The endpoint a test event was just queued for. */
  readonly tested = this.testedValue.asReadonly();

  /** The selected site's endpoints (the page calls this whenever the selection changes). */
  async load(): Promise<void> {
    const siteId = this.sites.siteId();
    this.revealedValue.set(null);
    this.closeLog();
    if (!siteId) return;
    try {
      const page = await this.api.list(siteId);
      this.endpointList.set(page.items);
      this.forbiddenValue.set(false);
    } catch (error) {
      this.endpointList.set([]);
      this.forbiddenValue.set(errorCode(error) === 'FORBIDDEN');
    } finally {
      this.loadedValue.set(true);
    }
  }

  create(url: string, events: WebhookEventType[]): Promise<boolean> {
    return this.change(async (siteId) => {
      const { webhook, secret } = await this.api.create(siteId, { url: url.trim(), events });
      this.endpointList.update((items) => [...items, webhook]);
      this.revealedValue.set({ webhookId: webhook.id, secret });
    });
  }

  rotate(webhookId: string): Promise<boolean> {
    return this.change(async (siteId) => {
      const { webhook, secret } = await this.api.rotateSecret(siteId, webhookId);
      this.replace(webhook);
      this.revealedValue.set({ webhookId, secret });
    });
  }

  setEnabled(webhookId: string, enabled: boolean): Promise<boolean> {
    return this.change(async (siteId) => this.replace(await this.api.update(siteId, webhookId, { enabled })));
  }

  remove(webhookId: string): Promise<boolean> {
    return this.change(async (siteId) => {
      await this.api.remove(siteId, webhookId);
      this.endpointList.update((items) => items.filter((item) => item.id !== webhookId));
      if (this.openLog() === webhookId) this.closeLog();
      if (this.revealed()?.webhookId === webhookId) this.revealedValue.set(null);
    });
  }

  test(webhookId: string): Promise<boolean> {
    return this.change(async (siteId) => {
      await this.api.test(siteId, webhookId);
      this.testedValue.set(webhookId);
      if (this.openLog() === webhookId) await this.loadDeliveries(webhookId);
    });
  }

  /** Sends a delivery again; the log shows it pending with a fresh schedule. */
  redeliver(webhookId: string, deliveryId: string): Promise<boolean> {
    return this.change(async (siteId) => {
      const queued = await this.api.redeliver(siteId, webhookId, deliveryId);
      this.deliveryList.update((items) => items.map((item) => (item.id === queued.id ? queued : item)));
    });
  }

  /** Opens (or refreshes, or pages through) one endpoint's delivery log. */
  async loadDeliveries(webhookId: string, more = false): Promise<void> {
    const siteId = this.sites.siteId();
    if (!siteId) return;
    const cursor = more && this.openLog() === webhookId ? (this.cursor() ?? undefined) : undefined;
    try {
      const page = await this.api.deliveries(siteId, webhookId, cursor);
      this.deliveryList.update((items) => (cursor ? [...items, ...page.items] : page.items));
      this.cursor.set(page.nextCursor);
      this.openLogValue.set(webhookId);
    } catch (error) {
      this.action.report(error);
    }
  }

  /** Opens an endpoint's log, or closes it when it is the one open. */
  toggleLog(webhookId: string): void {
    if (this.openLog() === webhookId) this.closeLog();
    else void this.loadDeliveries(webhookId);
  }

  closeLog(): void {
    this.openLogValue.set(null);
    this.deliveryList.set([]);
    this.cursor.set(null);
  }

  /** The user has stored the secret: it is not kept anywhere in the console after this. */
  dismissSecret(): void {
    this.revealedValue.set(null);
  }

  private replace(webhook: WebhookEndpoint): void {
    this.endpointList.update((items) => items.map((item) => (item.id === webhook.id ? webhook : item)));
  }

  /** A change to the selected site's endpoints; `false` when none is selected or it failed. */
  private async change(work: (siteId: string) => Promise<void>): Promise<boolean> {
    const siteId = this.sites.siteId();
    if (!siteId) return false;
    this.testedValue.set(null);
    return this.action.run(() => work(siteId));
  }
}

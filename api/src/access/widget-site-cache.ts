import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';

import { type BusEvent, type BusMessage, EventBus } from '../events/event-bus';
import { AccessRepository, type WidgetSiteRow } from './access.repository';

/**
 * Tells every replica that sites changed (key rotated, settings or origins updated, deleted).
 * Not a realtime event: it has no `siteId`, so the gateway forwards it to no socket.
 */
export interface SitesChangedEvent {
  type: 'sites.changed';
  siteIds: string[];
}

/** A backstop should an invalidation be lost (the bus down): no entry outlives this. */
export const WIDGET_SITE_TTL_MS = 30_000;
/** Bounded memory: the oldest entries go first. */
const MAX_ENTRIES = 10_000;

function isSitesChanged(event: { type: string }): event is SitesChangedEvent {
  return event.type === 'sites.changed';
}

/**
 * Widget sites by public key, in this process: every widget request and socket needs its site,
 * and sites change rarely. A change on any replica empties the entries of its sites on all of them
 * through the event bus; this replica's own entries go at once, before the bus is involved.
 */
@Injectable()
export class WidgetSiteCache implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('WidgetSiteCache');
  private readonly entries = new Map<string, { site: WidgetSiteRow; expiresAt: number }>();
  /** Bumped by every invalidation: a lookup that overlapped one does not store what it read. */
  private generation = 0;
  private unsubscribe: (() => void) | null = null;

  constructor(
    private readonly access: AccessRepository,
    private readonly bus: EventBus,
  ) {}

  onModuleInit(): void {
    this.unsubscribe = this.bus.subscribe((message: BusMessage) => {
      const event: { type: string } = message.event;
      if (isSitesChanged(event)) this.forgetSites(event.siteIds);
    });
  }

  onModuleDestroy(): void {
    this.unsubscribe?.();
  }

  async find(publicKey: string): Promise<WidgetSiteRow | null> {
    const entry = this.entries.get(publicKey);
    if (entry && entry.expiresAt > Date.now()) return entry.site;
    const generation = this.generation;
    const site = await this.access.findWidgetSite(publicKey);
    // Unknown keys are not remembered: guessing keys must not fill the memory.
    if (site && generation === this.generation) {
      this.entries.delete(publicKey);
      this.entries.set(publicKey, { site, expiresAt: Date.now() + WIDGET_SITE_TTL_MS });
      if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
    }
    return site;
  }

  /** The key turned out to be stale (the database no longer knows it for its site). */
  forget(publicKey: string): void {
    this.generation += 1;
    this.entries.delete(publicKey);
  }

  /** Call after the change committed: forgets here, then tells the other replicas. */
  async announceChanged(siteIds: string[]): Promise<void> {
    this.forgetSites(siteIds);
    const event: SitesChangedEvent = { type: 'sites.changed', siteIds };
    try {
      // The bus carries it like any event (no visitor: an empty id); its type is ours, not a frame.
      await this.bus.publish(event as unknown as BusEvent, '');
    } catch (error) {
      // Other replicas then drop the entries when they expire.
      this.logger.error(`could not announce a site change: ${error instanceof Error ? error.name : 'error'}`);
    }
  }

  private forgetSites(siteIds: string[]): void {
    this.generation += 1;
    const changed = new Set(siteIds);
    for (const [key, { site }] of this.entries) if (changed.has(site.id)) this.entries.delete(key);
  }
}

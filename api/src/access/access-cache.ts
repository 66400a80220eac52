import type { Role } from '@cloop/contracts';
import { Injectable, type OnModuleDestroy } from '@nestjs/common';

import { type BusNotice, EventBus } from '../events/event-bus';

/** A safety net only: a membership change reaches every replica's cache through the event bus. */
export const ACCESS_CACHE_TTL_MS = 5_000;
/** Enough for every active console user of a large install; the oldest user's entries go first. */
const MAX_USERS = 10_000;

interface Entry {
  value: unknown;
  expiresAt: number;
}

/**
 * Granted access decisions (a user's role in an organization or site), kept for a few seconds so
 * that a console session does not pay a query per request. Refusals are never cached, so a new
 * member gets in at once. Removing or demoting a member announces `membership.changed` through the
 * event bus: every replica drops that member's decisions and narrows their sockets (the realtime
 * gateway listens to the same notice). The one mechanism for membership changes is here.
 */
@Injectable()
export class AccessCache implements OnModuleDestroy {
  private readonly users = new Map<string, Map<string, Entry>>();
  /** Bumped by every invalidation: a lookup that started before it must not store its answer. */
  private generation = 0;
  private readonly stopListening: () => void;
  /** The clock; a unit test replaces it. */
  now: () => number = Date.now;

  constructor(private readonly bus: EventBus) {
    this.stopListening = bus.onNotice((notice) => this.onNotice(notice));
  }

  onModuleDestroy(): void {
    this.stopListening();
  }

  /** The cached decision for `userId` and `key`, or `load()`'s (cached unless it is `null`). */
  async lookup<T>(userId: string, key: string, load: () => Promise<T | null>): Promise<T | null> {
    const entries = this.users.get(userId);
    const cached = entries?.get(key);
    if (cached && cached.expiresAt > this.now()) return cached.value as T;
    const generation = this.generation;
    const value = await load();
    if (value !== null && generation === this.generation) this.store(userId, key, value);
    return value;
  }

  /**
   * Called after the change is committed (a member removed: `role` null, or given another role).
   * Resolves once this replica has applied it; other replicas get it through Redis.
   */
  membershipChanged(organizationId: string, userId: string, role: Role | null): Promise<void> {
    return this.bus.announce({ type: 'membership.changed', organizationId, userId, role });
  }

  private store(userId: string, key: string, value: unknown): void {
    let entries = this.users.get(userId);
    if (!entries) {
      if (this.users.size >= MAX_USERS) this.users.delete(this.users.keys().next().value ?? '');
      entries = new Map();
      this.users.set(userId, entries);
    }
    entries.set(key, { value, expiresAt: this.now() + ACCESS_CACHE_TTL_MS });
  }

  private onNotice(notice: BusNotice): void {
    switch (notice.type) {
      case 'membership.changed':
        this.generation += 1;
        this.users.delete(notice.userId);
        return;
      case 'events.missed':
        // Changes announced while Redis was away never reached this replica.
        this.generation += 1;
        this.users.clear();
        return;
    }
  }
}

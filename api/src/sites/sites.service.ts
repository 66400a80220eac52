import { randomBytes } from 'node:crypto';

import {
  type AuditAction,
  type CreateSiteRequest,
  type ListSitesQuery,
  DEFAULT_RETENTION_DAYS,
  type Page,
  type Site,
  type UpdateSiteRequest,
  type WidgetSettings,
} from '@cloop/contracts';
import { Injectable } from '@nestjs/common';

import type { Principal, SiteScope } from '../access/access-policy';
import { AccessService } from '../access/access.service';
import { WidgetSiteCache } from '../access/widget-site-cache';
import { actorOf, type AuditEntry, AuditService } from '../audit/audit.service';
import { DomainError } from '../common/domain-error';
import { decodeCursor, pageLimit, toPage } from '../common/pagination';
import { TransactionRunner } from '../database/transactions';
import { normalizeOrigin } from './allowed-origin';
import { mapSite } from './site.mapper';
import { type SiteChanges, SitesRepository } from './sites.repository';

export const DEFAULT_WIDGET_SETTINGS: WidgetSettings = {
  color: '#2563eb',
  position: 'bottom-right',
  greeting: 'Hi! How can I help you today?',
  assistantName: 'Assistant',
  locale: 'auto',
  privacyUrl: null,
  languages: {},
  sound: false,
};

@Injectable()
export class SitesService {
  constructor(
    private readonly sites: SitesRepository,
    private readonly access: AccessService,
    private readonly transactions: TransactionRunner,
    private readonly audit: AuditService,
    private readonly widgetSites: WidgetSiteCache,
  ) {}

  async list(principal: Principal, query: ListSitesQuery): Promise<Page<Site>> {
    const limit = pageLimit(query);
    // A key sees its own organization only, whatever else its creator belongs to.
    const keyOrganization = principal.apiKey?.organizationId;
    if (keyOrganization && query.organizationId && query.organizationId !== keyOrganization) {
      return { items: [], nextCursor: null };
    }
    const rows = await this.sites.listVisibleTo(
      principal.userId,
      { organizationId: keyOrganization ?? query.organizationId },
      decodeCursor(query.cursor),
      limit,
    );
    return toPage(rows, limit, mapSite, (site) => site);
  }

  async create(principal: Principal, request: CreateSiteRequest): Promise<Site> {
    await this.access.requireCallerOrganizationRole(principal, request.organizationId, 'admin');
    return this.transactions.run(async (tx) => {
      const site = await this.sites.insert(tx, {
        organizationId: request.organizationId,
        name: request.name.trim(),
        publicKey: newPublicKey(),
        allowedOrigins: normalizeOrigins(request.allowedOrigins ?? []),
        widget: { ...DEFAULT_WIDGET_SETTINGS, ...request.widget },
        leadCapture: request.leadCapture ?? false,
        retentionDays: request.retentionDays ?? DEFAULT_RETENTION_DAYS,
      });
      await this.audit.record(tx, {
        organizationId: site.organizationId,
        actor: actorOf(principal),
        action: 'site.created',
        target: { type: 'site', id: site.id },
      });
      return mapSite(site);
    });
  }

  async get(scope: SiteScope): Promise<Site> {
    const site = await this.sites.findById(scope.siteId);
    if (!site) throw new DomainError('SITE_NOT_FOUND', 'Site not found');
    return mapSite(site);
  }

  /** Changes only the fields named; widget settings merge into the current ones. */
  async update(scope: SiteScope, principal: Principal, request: UpdateSiteRequest): Promise<Site> {
    const site = await this.transactions.run(async (tx) => {
      const site = await this.sites.findForUpdate(tx, scope.siteId);
      if (!site) throw new DomainError('SITE_NOT_FOUND', 'Site not found');
      const changes: SiteChanges = {};
      if (request.name !== undefined) changes.name = request.name.trim();
      if (request.allowedOrigins !== undefined)
        changes.allowedOrigins = normalizeOrigins(request.allowedOrigins);
      if (request.widget !== undefined) changes.widget = { ...site.widget, ...request.widget };
      if (request.leadCapture !== undefined) changes.leadCapture = request.leadCapture;
      if (request.retentionDays !== undefined) changes.retentionDays = request.retentionDays;
      if (Object.keys(changes).length > 0) {
        await this.sites.update(tx, scope.siteId, changes);
        await this.audit.record(tx, {
          organizationId: scope.organizationId,
          actor: actorOf(principal),
          action: 'site.updated',
          target: { type: 'site', id: scope.siteId },
          details: { fields: Object.keys(changes).sort() },
        });
      }
      const updated = await this.sites.findById(scope.siteId, tx);
      if (!updated) throw new DomainError('SITE_NOT_FOUND', 'Site not found');
      return mapSite(updated);
    });
    // Origins and widget settings are cached by every replica's widget API.
    await this.widgetSites.announceChanged([scope.siteId]);
    return site;
  }

  /** The old key stops working at once: embeds must be updated with the new snippet. */
  async rotateKey(scope: SiteScope, principal: Principal): Promise<Site> {
    await this.transactions.run(async (tx) => {
      await this.sites.setPublicKey(tx, scope.siteId, newPublicKey());
      await this.audit.record(tx, this.siteEvent(scope, principal, 'site.key_rotated'));
    });
    await this.widgetSites.announceChanged([scope.siteId]);
    return this.get(scope);
  }

  /** Removes the site and everything recorded for it; the audit trail keeps that it happened. */
  async delete(scope: SiteScope, principal: Principal): Promise<void> {
    await this.transactions.run(async (tx) => {
      await this.sites.delete(tx, scope.siteId);
      await this.audit.record(tx, this.siteEvent(scope, principal, 'site.deleted'));
    });
    await this.widgetSites.announceChanged([scope.siteId]);
  }

  private siteEvent(scope: SiteScope, principal: Principal, action: AuditAction): AuditEntry {
    return {
      organizationId: scope.organizationId,
      actor: actorOf(principal),
      action,
      target: { type: 'site', id: scope.siteId },
    };
  }
}

/** 144 random bits: public, but not guessable, so one site's key never names another's. */
function newPublicKey(): string {
  return `pk_${randomBytes(18).toString('base64url')}`;
}

function normalizeOrigins(origins: string[]): string[] {
  // The DTO has validated every entry; normalizing merges spellings of the same origin.
  return [...new Set(origins.map((origin) => normalizeOrigin(origin) ?? origin))];
}

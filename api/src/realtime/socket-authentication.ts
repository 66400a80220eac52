import type { ClientFrame } from '@cloop/contracts';
import { Injectable } from '@nestjs/common';

import { AccessService } from '../access/access.service';
import { WidgetSiteStrategy } from '../access/widget-site.strategy';
import { ConsoleJwtStrategy } from '../auth/console-jwt.strategy';
import { DomainError } from '../common/domain-error';
import { isUuid } from '../common/identifiers';
import { VisitorConversations } from '../conversations/visitor-conversations';
import type { Identity, UserIdentity } from './realtime-client';

/**
 * Who a socket is, and whether it still may see what it subscribed to. The REST routes' Passport
 * strategies, called directly: a socket's `auth` frame is no HTTP request.
 */
@Injectable()
export class SocketAuthentication {
  constructor(
    private readonly consoleTokens: ConsoleJwtStrategy,
    private readonly widgetSites: WidgetSiteStrategy,
    private readonly visitors: VisitorConversations,
    private readonly access: AccessService,
  ) {}

  async authenticate(
    origin: string | null,
    frame: Extract<ClientFrame, { type: 'auth' }>,
  ): Promise<Identity> {
    if ('accessToken' in frame) {
      const principal = await this.consoleTokens.verify(frame.accessToken);
      return { kind: 'user', accessToken: frame.accessToken, userId: principal.userId, sites: new Map() };
    }
    const site = await this.widgetSites.resolve(frame.siteKey, origin);
    const visitor = isUuid(frame.visitorId)
      ? await this.visitors.findVisitor(site.siteId, frame.visitorId.toLowerCase())
      : null;
    if (!visitor)
      throw new DomainError('VISITOR_ID_INVALID', 'Unknown visitor: start a widget session first');
    return { kind: 'visitor', siteId: site.siteId, visitorId: visitor.id };
  }

  /** Subscribes a console user to a site of theirs (member or above); throws otherwise. */
  async subscribe(identity: UserIdentity, siteId: string): Promise<void> {
    const scope = await this.access.requireSiteRole(identity.userId, siteId, 'member');
    identity.sites.set(siteId, scope.organizationId);
  }

  /** Whether the console session behind the socket is still live (signed out, expired: no). */
  async sessionLive(identity: UserIdentity): Promise<boolean> {
    try {
      await this.consoleTokens.verify(identity.accessToken);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Drops the subscriptions the user may no longer see (removed from the organization, site
   * gone), each with the refusal's code.
   */
  async dropLostSites(identity: UserIdentity): Promise<{ siteId: string; code: string }[]> {
    const lost: { siteId: string; code: string }[] = [];
    for (const siteId of [...identity.sites.keys()]) {
      try {
        await this.access.requireSiteRole(identity.userId, siteId, 'member');
      } catch (error) {
        identity.sites.delete(siteId);
        lost.push({ siteId, code: error instanceof DomainError ? error.code : 'FORBIDDEN' });
      }
    }
    return lost;
  }
}

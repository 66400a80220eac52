import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

import {
  type ClientFrame,
  REALTIME_CLOSE_CODES,
  REALTIME_PATH,
  type Role,
  type ServerFrame,
} from '@cloop/contracts';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { type RawData, WebSocket, WebSocketServer } from 'ws';

import { AccessService } from '../access/access.service';
import { WidgetSiteStrategy } from '../access/widget-site.strategy';
import { ConsoleJwtStrategy } from '../auth/console-jwt.strategy';
import { DomainError } from '../common/domain-error';
import { isUuid } from '../common/identifiers';
import type { ConversationEntity } from '../conversations/conversation.entity';
import { mapWidgetConversation } from '../conversations/conversation.mapper';
import { ConversationsRepository } from '../conversations/conversations.repository';
import { ConversationsService } from '../conversations/conversations.service';
import { VisitorsRepository } from '../conversations/visitors.repository';
import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';
import { ShutdownState } from '../lifecycle/shutdown-state';
import { RateLimitKeys } from '../rate-limit/rate-limit-keys';
import { RateLimitStore } from '../rate-limit/rate-limit.store';
import { type BusEvent, type BusMessage, type BusNotice, EventBus } from '../events/event-bus';
import { parseClientFrame } from './frames';

const AUTH_TIMEOUT_MS = 10_000;
const RESUME_LIMIT = 500;
/** Per socket: frames waiting to be handled, frames per window, and unread output before it is closed. */
const MAX_PENDING_FRAMES = 32;
const FRAME_BUDGET = { frames: 100, windowMs: 10_000 };
const MAX_BUFFERED_BYTES = 1024 * 1024;
/** Typing is announced at most this often per conversation and socket. */
const TYPING_INTERVAL_MS = 2_000;
/** The answer to an upgrade while shutting down: try again, through the load balancer, elsewhere. */
const DRAINING_RESPONSE = 'HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nConnection: close\r\n\r\n';

type Identity =
  /** `sites`: each subscribed site and its organization (a membership change names the organization). */
  | { kind: 'user'; accessToken: string; userId: string; sites: Map<string, string> }
  | { kind: 'visitor'; siteId: string; visitorId: string };

interface Client {
  socket: WebSocket;
  origin: string | null;
  identity: Identity | null;
  alive: boolean;
  /** Frames are handled one after another, in the order sent: `subscribe` right after `auth` works. */
  queue: Promise<void>;
  pending: number;
  budget: { windowStart: number; frames: number };
  lastTyping: Map<string, number>;
}

/**
 * `/api/v1/realtime`: one socket per console tab or widget. The first frame authenticates; console
 * users then subscribe to their sites, visitors get their own conversation's events only. Events
 * come from the bus, so a socket on one replica sees what happened on another.
 */
@Injectable()
export class RealtimeGateway implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Realtime');
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 });
  private readonly clients = new Set<Client>();
  private unsubscribe: (() => void) | null = null;
  private stopNotices: (() => void) | null = null;
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly bus: EventBus,
    /** The REST routes' Passport strategies, called directly: a socket's `auth` frame is no HTTP request. */
    private readonly consoleTokens: ConsoleJwtStrategy,
    private readonly access: AccessService,
    private readonly widgetSites: WidgetSiteStrategy,
    private readonly visitors: VisitorsRepository,
    private readonly conversationsRepository: ConversationsRepository,
    private readonly conversations: ConversationsService,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
    private readonly limits: RateLimitStore,
    private readonly keys: RateLimitKeys,
    private readonly shutdown: ShutdownState,
  ) {}

  onApplicationBootstrap(): void {
    const http = this.adapterHost.httpAdapter.getHttpServer() as Server;
    http.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) =>
      this.upgrade(request, socket, head),
    );
    this.unsubscribe = this.bus.subscribe((message) => this.route(message));
    this.stopNotices = this.bus.onNotice((notice) => this.onNotice(notice));
    this.heartbeat = setInterval(() => this.beat(), this.config.runtime.heartbeatMs).unref();
    this.shutdown.signal.addEventListener('abort', () => this.closeAll());
    this.shutdown.onGraceOver(() => this.terminateAll());
  }

  beforeApplicationShutdown(): void {
    this.closeAll();
  }

  /**
   * Closes every socket with the restart code so clients reconnect (through the load balancer, to
   * another replica), and admits no new one. Runs as soon as the process starts draining.
   */
  closeAll(): void {
    if (this.heartbeat) clearInterval(this.heartbeat);
    this.heartbeat = null;
    this.unsubscribe?.();
    this.unsubscribe = null;
    this.stopNotices?.();
    this.stopNotices = null;
    for (const client of this.clients) client.socket.close(REALTIME_CLOSE_CODES.restart, 'server restarting');
    this.server.close();
  }

  /** Drops the sockets whose clients did not answer the close in time (end of the grace period). */
  private terminateAll(): void {
    for (const client of this.clients) client.socket.terminate();
  }

  private upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    // No URL parsing: this listener runs outside any error handler, and a throw here ends the process.
    if ((request.url ?? '').split('?')[0] !== REALTIME_PATH) {
      socket.destroy();
      return;
    }
    if (this.shutdown.draining) {
      socket.end(DRAINING_RESPONSE);
      return;
    }
    void this.admit(request).then(
      (retryAfterSeconds) => {
        if (this.shutdown.draining) {
          socket.end(DRAINING_RESPONSE);
          return;
        }
        if (retryAfterSeconds === null) {
          this.server.handleUpgrade(request, socket, head, (ws) =>
            this.accept(ws, request.headers.origin ?? null),
          );
          return;
        }
        socket.end(
          `HTTP/1.1 429 Too Many Requests\r\nRetry-After: ${retryAfterSeconds}\r\nConnection: close\r\n\r\n`,
        );
      },
      () => socket.destroy(),
    );
  }

  /** New sockets per client address are rate-limited; `null` admits, a number is the wait in seconds. */
  private async admit(request: IncomingMessage): Promise<number | null> {
    const ip = clientIp(request, this.config.trustProxyHops);
    const decision = await this.limits.consume(
      this.keys.forClient('realtime', ip),
      this.config.rateLimits.realtimeConnections,
    );
    return decision.allowed ? null : Math.ceil(decision.retryAfterMs / 1000);
  }

  private accept(socket: WebSocket, origin: string | null): void {
    const client: Client = {
      socket,
      origin,
      identity: null,
      alive: true,
      queue: Promise.resolve(),
      pending: 0,
      budget: { windowStart: Date.now(), frames: 0 },
      lastTyping: new Map(),
    };
    this.clients.add(client);
    const authTimer = setTimeout(() => {
      if (!client.identity) socket.close(REALTIME_CLOSE_CODES.authTimeout, 'authenticate first');
    }, AUTH_TIMEOUT_MS);
    socket.on('pong', () => (client.alive = true));
    socket.on('message', (data: RawData) => {
      if (!withinBudget(client)) {
        socket.close(1008, 'too many frames');
        return;
      }
      client.pending += 1;
      client.queue = client.queue.then(async () => {
        await this.onFrame(client, data);
        client.pending -= 1;
      });
    });
    socket.on('close', () => {
      clearTimeout(authTimer);
      this.clients.delete(client);
    });
    socket.on('error', () => socket.terminate());
  }

  private async onFrame(client: Client, data: RawData): Promise<void> {
    const frame = parseClientFrame(data);
    if (!frame) {
      this.fail(client, 'BAD_FRAME', 'Frames are JSON objects with a known `type`');
      if (!client.identity) client.socket.close(REALTIME_CLOSE_CODES.badFrame, 'bad frame');
      return;
    }
    try {
      if (!client.identity) {
        if (frame.type !== 'auth') {
          client.socket.close(REALTIME_CLOSE_CODES.unauthenticated, 'the first frame must authenticate');
          return;
        }
        client.identity = await this.authenticate(client, frame);
        this.send(client, { type: 'ready' });
        return;
      }
      await this.handle(client, client.identity, frame);
    } catch (error) {
      if (!(error instanceof DomainError)) {
        this.logger.error(`frame ${frame.type} failed: ${error instanceof Error ? error.name : 'error'}`);
        this.fail(client, 'INTERNAL_ERROR', 'Something went wrong');
        return;
      }
      this.fail(client, error.code, error.message);
      if (!client.identity) client.socket.close(REALTIME_CLOSE_CODES.unauthenticated, error.code);
    }
  }

  private async authenticate(
    client: Client,
    frame: Extract<ClientFrame, { type: 'auth' }>,
  ): Promise<Identity> {
    if ('accessToken' in frame) {
      const principal = await this.consoleTokens.verify(frame.accessToken);
      return { kind: 'user', accessToken: frame.accessToken, userId: principal.userId, sites: new Map() };
    }
    const site = await this.widgetSites.resolve(frame.siteKey, client.origin);
    const visitor = isUuid(frame.visitorId)
      ? await this.visitors.find(site.siteId, frame.visitorId.toLowerCase())
      : null;
    if (!visitor)
      throw new DomainError('VISITOR_ID_INVALID', 'Unknown visitor: start a widget session first');
    return { kind: 'visitor', siteId: site.siteId, visitorId: visitor.id };
  }

  private async handle(client: Client, identity: Identity, frame: ClientFrame): Promise<void> {
    switch (frame.type) {
      case 'auth':
        throw new DomainError('BAD_REQUEST', 'Already authenticated');
      case 'ping':
        this.send(client, { type: 'pong' });
        return;
      case 'subscribe': {
        if (identity.kind !== 'user')
          throw new DomainError('FORBIDDEN', 'Visitors receive their own conversation only');
        const scope = await this.access.requireSiteRole(identity.userId, frame.siteId, 'member');
        identity.sites.set(frame.siteId, scope.organizationId);
        this.send(client, { type: 'subscribed', siteId: frame.siteId });
        return;
      }
      case 'resume': {
        const conversation = await this.conversationOf(identity, frame.conversationId);
        const missed = await this.conversations.messagesAfter(
          conversation.siteId,
          conversation.id,
          frame.afterSeq,
          RESUME_LIMIT,
        );
        for (const message of missed) {
          this.send(client, {
            type: 'message.created',
            siteId: conversation.siteId,
            conversationId: conversation.id,
            message,
          });
        }
        return;
      }
      case 'typing': {
        const now = Date.now();
        if (now - (client.lastTyping.get(frame.conversationId) ?? 0) < TYPING_INTERVAL_MS) return;
        client.lastTyping.set(frame.conversationId, now);
        const conversation = await this.conversationOf(identity, frame.conversationId);
        await this.conversations.typing(conversation, identity.kind === 'user' ? 'agent' : 'visitor');
        return;
      }
    }
  }

  /** A conversation the identity may see: in a subscribed site, or the visitor's own. */
  private async conversationOf(identity: Identity, conversationId: string): Promise<ConversationEntity> {
    if (isUuid(conversationId)) {
      const sites = identity.kind === 'user' ? [...identity.sites.keys()] : [identity.siteId];
      for (const siteId of sites) {
        const conversation = await this.conversationsRepository.findInSite(siteId, conversationId);
        if (conversation && (identity.kind === 'user' || conversation.visitorId === identity.visitorId)) {
          return conversation;
        }
      }
    }
    throw new DomainError('CONVERSATION_NOT_FOUND', 'Conversation not found');
  }

  private route({ event, visitorId }: BusMessage): void {
    for (const client of this.clients) {
      const frame = client.identity ? visibleTo(client.identity, event, visitorId) : null;
      if (!frame) continue;
      this.send(client, frame);
      // The visitor no longer exists: the socket must not go on under the erased id.
      if (frame.type === 'visitor.erased')
        client.socket.close(REALTIME_CLOSE_CODES.erased, 'visitor data erased');
    }
  }

  private onNotice(notice: BusNotice): void {
    switch (notice.type) {
      case 'membership.changed':
        for (const client of this.clients) {
          const identity = client.identity;
          if (identity?.kind === 'user' && identity.userId === notice.userId) {
            this.membershipChanged(client, identity, notice.organizationId, notice.role);
          }
        }
        return;
      case 'events.missed':
        // Redis was away: other replicas' events did not arrive here. Clients catch up from the
        // database, and console subscriptions are re-checked (membership notices were lost too).
        for (const client of this.clients) {
          const identity = client.identity;
          if (!identity) continue;
          this.send(client, { type: 'resync' });
          if (identity.kind === 'user')
            client.queue = client.queue.then(() => this.recheck(client, identity));
        }
        return;
    }
  }

  /**
   * Applied at once, before any later event is routed: a removed member's subscriptions to the
   * organization's sites end now, not at the next heartbeat. Any other role still reads every
   * event of the sites, so it only needs the usual re-check.
   */
  private membershipChanged(
    client: Client,
    identity: Extract<Identity, { kind: 'user' }>,
    organizationId: string,
    role: Role | null,
  ): void {
    if (role !== null) {
      client.queue = client.queue.then(() => this.recheck(client, identity));
      return;
    }
    for (const [siteId, siteOrganization] of identity.sites) {
      if (siteOrganization !== organizationId) continue;
      identity.sites.delete(siteId);
      this.fail(client, 'SITE_NOT_FOUND', `No longer subscribed to ${siteId}`);
    }
  }

  /** Drops sockets that missed a heartbeat, and re-checks what console sockets may still see. */
  private beat(): void {
    for (const client of this.clients) {
      if (!client.alive) {
        client.socket.terminate();
        continue;
      }
      client.alive = false;
      client.socket.ping();
      const identity = client.identity;
      if (identity?.kind === 'user') client.queue = client.queue.then(() => this.recheck(client, identity));
    }
  }

  /**
   * A signed-out or expired session loses its socket (the console reconnects with a fresh token);
   * a user removed from an organization stops receiving its sites' events.
   */
  private async recheck(client: Client, identity: Extract<Identity, { kind: 'user' }>): Promise<void> {
    try {
      await this.consoleTokens.verify(identity.accessToken);
    } catch {
      client.socket.close(
        REALTIME_CLOSE_CODES.unauthenticated,
        'session ended: reconnect with a fresh token',
      );
      return;
    }
    for (const siteId of [...identity.sites.keys()]) {
      try {
        await this.access.requireSiteRole(identity.userId, siteId, 'member');
      } catch (error) {
        identity.sites.delete(siteId);
        this.fail(
          client,
          error instanceof DomainError ? error.code : 'FORBIDDEN',
          `No longer subscribed to ${siteId}`,
        );
      }
    }
  }

  private send(client: Client, frame: ServerFrame): void {
    if (client.socket.readyState !== WebSocket.OPEN) return;
    if (client.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      // A client that does not read would otherwise grow the server's memory without bound.
      client.socket.close(1008, 'not reading');
      return;
    }
    client.socket.send(JSON.stringify(frame));
  }

  private fail(client: Client, code: string, message: string): void {
    this.send(client, { type: 'error', code, message });
  }
}

/** Counts a frame; `false` once a socket sends faster than the budget or queues too much. */
function withinBudget(client: Client): boolean {
  const now = Date.now();
  if (now - client.budget.windowStart >= FRAME_BUDGET.windowMs)
    client.budget = { windowStart: now, frames: 0 };
  client.budget.frames += 1;
  return client.budget.frames <= FRAME_BUDGET.frames && client.pending < MAX_PENDING_FRAMES;
}

/**
 * The client's address for the connection limit, trusting `hops` proxies as Fastify does for
 * HTTP requests (upgrades bypass Fastify's request handling).
 */
function clientIp(request: IncomingMessage, hops: number): string {
  const forwarded = String(request.headers['x-forwarded-for'] ?? '')
    .split(',')
    .map((address) => address.trim())
    .filter(Boolean);
  const chain = [...forwarded, request.socket.remoteAddress ?? ''];
  return chain[Math.max(0, chain.length - 1 - hops)] ?? '';
}

/** What of an event a client may receive: console users their sites', visitors their own, trimmed. */
function visibleTo(identity: Identity, event: BusEvent, visitorId: string): ServerFrame | null {
  if (event.type === 'visitor.erased') {
    return identity.kind === 'visitor' && identity.siteId === event.siteId && identity.visitorId === visitorId
      ? event
      : null;
  }
  if (identity.kind === 'user') return identity.sites.has(event.siteId) ? event : null;
  if (event.siteId !== identity.siteId || visitorId !== identity.visitorId) return null;
  if (event.type === 'typing' && event.author === 'visitor') return null;
  // How far the team has read is the team's business: no read receipts for visitors.
  if (event.type === 'conversation.seen') return null;
  if (event.type === 'conversation.updated') {
    return { ...event, conversation: mapWidgetConversation(event.conversation) };
  }
  return event;
}

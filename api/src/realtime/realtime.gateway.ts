import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';

import { REALTIME_CLOSE_CODES, REALTIME_PATH, type Role } from '@cloop/contracts';
import {
  type BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { type RawData, WebSocket, WebSocketServer } from 'ws';

import { DomainError } from '../common/domain-error';
import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';
import { type BusMessage, type BusNotice, EventBus } from '../events/event-bus';
import { ShutdownState } from '../lifecycle/shutdown-state';
import { visibleTo } from './event-visibility';
import { FrameHandler } from './frame-handler';
import { parseClientFrame } from './frames';
import {
  enqueue,
  newClient,
  type RealtimeClient,
  send,
  sendError,
  type UserIdentity,
  withinBudget,
} from './realtime-client';
import { SocketAdmission } from './socket-admission';
import { SocketAuthentication } from './socket-authentication';

const AUTH_TIMEOUT_MS = 10_000;
/** The answer to an upgrade while shutting down: try again, through the load balancer, elsewhere. */
const DRAINING_RESPONSE = 'HTTP/1.1 503 Service Unavailable\r\nRetry-After: 1\r\nConnection: close\r\n\r\n';

/**
 * `/api/v1/realtime`: one socket per console tab or widget. The first frame authenticates; console
 * users then subscribe to their sites, visitors get their own conversation's events only. Events
 * come from the bus, so a socket on one replica sees what happened on another. The gateway keeps
 * the sockets and their lifecycle (upgrade, heartbeat, shutdown, membership notices); admission,
 * authentication, frames and what an event shows whom are each a piece of their own.
 */
@Injectable()
export class RealtimeGateway implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Realtime');
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 });
  private readonly clients = new Set<RealtimeClient>();
  private unsubscribe: (() => void) | null = null;
  private stopNotices: (() => void) | null = null;
  private heartbeat: NodeJS.Timeout | null = null;

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly bus: EventBus,
    private readonly admission: SocketAdmission,
    private readonly authentication: SocketAuthentication,
    private readonly frames: FrameHandler,
    @Inject(APP_CONFIG) private readonly config: ResolvedConfig,
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
    void this.admission.admit(request).then(
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

  private accept(socket: WebSocket, origin: string | null): void {
    const client = newClient(socket, origin);
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
      enqueue(client, async () => {
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

  private async onFrame(client: RealtimeClient, data: RawData): Promise<void> {
    const frame = parseClientFrame(data);
    if (!frame) {
      sendError(client, 'BAD_FRAME', 'Frames are JSON objects with a known `type`');
      if (!client.identity) client.socket.close(REALTIME_CLOSE_CODES.badFrame, 'bad frame');
      return;
    }
    try {
      if (!client.identity) {
        if (frame.type !== 'auth') {
          client.socket.close(REALTIME_CLOSE_CODES.unauthenticated, 'the first frame must authenticate');
          return;
        }
        client.identity = await this.authentication.authenticate(client.origin, frame);
        send(client, { type: 'ready' });
        return;
      }
      await this.frames.handle(client, client.identity, frame);
    } catch (error) {
      if (!(error instanceof DomainError)) {
        this.logger.error(`frame ${frame.type} failed: ${error instanceof Error ? error.name : 'error'}`);
        sendError(client, 'INTERNAL_ERROR', 'Something went wrong');
        return;
      }
      sendError(client, error.code, error.message);
      if (!client.identity) client.socket.close(REALTIME_CLOSE_CODES.unauthenticated, error.code);
    }
  }

  private route({ event, visitorId }: BusMessage): void {
    for (const client of this.clients) {
      const frame = client.identity ? visibleTo(client.identity, event, visitorId) : null;
      if (!frame) continue;
      send(client, frame);
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
          send(client, { type: 'resync' });
          if (identity.kind === 'user') enqueue(client, () => this.recheck(client, identity));
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
    client: RealtimeClient,
    identity: UserIdentity,
    organizationId: string,
    role: Role | null,
  ): void {
    if (role !== null) {
      enqueue(client, () => this.recheck(client, identity));
      return;
    }
    for (const [siteId, siteOrganization] of identity.sites) {
      if (siteOrganization !== organizationId) continue;
      identity.sites.delete(siteId);
      sendError(client, 'SITE_NOT_FOUND', `No longer subscribed to ${siteId}`);
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
      if (identity?.kind === 'user') enqueue(client, () => this.recheck(client, identity));
    }
  }

  /**
   * A signed-out or expired session loses its socket (the console reconnects with a fresh token);
   * a user removed from an organization stops receiving its sites' events.
   */
  private async recheck(client: RealtimeClient, identity: UserIdentity): Promise<void> {
    if (!(await this.authentication.sessionLive(identity))) {
      client.socket.close(
        REALTIME_CLOSE_CODES.unauthenticated,
        'session ended: reconnect with a fresh token',
      );
      return;
    }
    for (const { siteId, code } of await this.authentication.dropLostSites(identity)) {
      sendError(client, code, `No longer subscribed to ${siteId}`);
    }
  }
}

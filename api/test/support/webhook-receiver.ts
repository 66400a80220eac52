import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

import type { WebhookEvent } from '@cloop/contracts';

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  /** The body exactly as it arrived: signatures are over these bytes. */
  raw: string;
  event: WebhookEvent;
  receivedAt: number;
  /** What the receiver answered. */
  status: number;
}

/**
 * An HTTP server on loopback that records every delivery. `respond` decides the status of each
 * request (200 by default); `stop()` and `start()` make it refuse connections for a while.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  respond: (request: { event: WebhookEvent; count: number }) => number = () => 200;
  private server: Server | null = null;
  private boundPort = 0;

  static async start(port = 0): Promise<WebhookReceiver> {
    const receiver = new WebhookReceiver();
    await receiver.listen(port);
    return receiver;
  }

  get url(): string {
    return `http://127.0.0.1:${this.boundPort}/hooks`;
  }

  get port(): number {
    return this.boundPort;
  }

  async listen(port = this.boundPort): Promise<void> {
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const raw = Buffer.concat(chunks).toString('utf8');
        const event = JSON.parse(raw) as WebhookEvent;
        const status = this.respond({ event, count: this.received.length + 1 });
        this.received.push({ headers: request.headers, raw, event, receivedAt: Date.now(), status });
        response.writeHead(status, { 'content-type': 'text/plain' }).end('ok');
      });
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.boundPort = (server.address() as AddressInfo).port;
  }

  /** Stops listening: deliveries meet a refused connection until `listen()` again. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = null;
    if (!server) return;
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  /** The deliveries that reached the receiver (any status), of one type if given. */
  ofType(type: string): ReceivedWebhook[] {
    return this.received.filter((request) => request.event.type === type);
  }

  /** Waits until `check` finds what it wants among the received requests. */
  async waitFor<T>(
    check: (received: ReceivedWebhook[]) => T | undefined | false,
    timeoutMs = 15_000,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = check(this.received);
      if (found !== undefined && found !== false) return found;
      if (Date.now() > deadline) {
        throw new Error(
          `webhook receiver: timed out; got ${this.received.map((r) => `${r.event.type}→${r.status}`).join(', ')}`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 25));
    }
  }
}

/**
 * Verifies `Cloop-Signature` exactly as docs/webhooks.md tells receivers to: the timestamp within
 * the replay window, then HMAC-SHA256 over `<t>.<raw body>` compared in constant time with any `v1`.
 */
export function verifySignature(
  secret: string,
  header: string | undefined,
  rawBody: string,
  nowSeconds = Math.floor(Date.now() / 1000),
  toleranceSeconds = 300,
): boolean {
  if (!header) return false;
  const pairs = header.split(',').map((part) => part.trim().split('='));
  const timestamp = Number(pairs.find(([key]) => key === 't')?.[1]);
  if (!Number.isInteger(timestamp) || Math.abs(nowSeconds - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex'));
  return pairs
    .filter(([key]) => key === 'v1')
    .some(
      ([, value = '']) => value.length === expected.length && timingSafeEqual(Buffer.from(value), expected),
    );
}

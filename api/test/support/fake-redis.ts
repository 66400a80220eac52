import { createServer, type Server, type Socket } from 'node:net';

/**
 * Just enough of the Redis protocol for Cloop's clients (ready check, pub/sub, PING), on a port a
 * test can take down and bring back: how a test makes Redis unreachable under a running app.
 */
export class FakeRedis {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();

  private constructor(private port: number) {}

  static async start(): Promise<FakeRedis> {
    const redis = new FakeRedis(0);
    await redis.up();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Listens (again) on the same port. */
  async up(): Promise<void> {
    if (this.server) return;
    const server = createServer((socket) => this.serve(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', resolve);
    });
    const address = server.address();
    if (address === null || typeof address === 'string') throw new Error('not listening on a TCP port');
    this.port = address.port;
    this.server = server;
  }

  /** Refuses new connections and cuts the open ones, as a Redis that went away. */
  async down(): Promise<void> {
    const server = this.server;
    this.server = null;
    for (const socket of this.sockets) socket.destroy();
    this.sockets.clear();
    if (server) await new Promise((resolve) => server.close(resolve));
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        const parsed = parseCommand(buffered);
        if (!parsed) break;
        buffered = buffered.subarray(parsed.length);
        socket.write(reply(parsed.args));
        if (parsed.args[0]?.toUpperCase() === 'QUIT') socket.end();
      }
    });
  }
}

function reply(args: string[]): string {
  const [name = '', ...rest] = args;
  switch (name.toUpperCase()) {
    case 'PING':
      return '+PONG\r\n';
    case 'INFO':
      return bulk('# Server\r\nredis_version:7.0.0\r\nloading:0\r\n');
    case 'SUBSCRIBE':
      return rest
        .map((channel, index) => `*3\r\n${bulk('subscribe')}${bulk(channel)}:${index + 1}\r\n`)
        .join('');
    case 'PUBLISH':
      return ':0\r\n';
    default:
      return '+OK\r\n';
  }
}

function bulk(text: string): string {
  return `$${Buffer.byteLength(text)}\r\n${text}\r\n`;
}

/** One command, sent as an array of bulk strings; `null` until it has arrived whole. */
function parseCommand(buffer: Buffer): { args: string[]; length: number } | null {
  let offset = 0;
  const line = (): string | null => {
    const end = buffer.indexOf('\r\n', offset);
    if (end < 0) return null;
    const text = buffer.toString('utf8', offset, end);
    offset = end + 2;
    return text;
  };
  const header = line();
  if (header === null || !header.startsWith('*')) return null;
  const args: string[] = [];
  for (let count = Number(header.slice(1)); count > 0; count -= 1) {
    const size = line();
    if (size === null) return null;
    const length = Number(size.slice(1));
    if (buffer.length < offset + length + 2) return null;
    args.push(buffer.toString('utf8', offset, offset + length));
    offset += length + 2;
  }
  return { args, length: offset };
}

import { connect, type Socket } from 'node:net';

/**
 * An HTTP request left in flight on purpose: headers sent with `Expect: 100-continue`, the body
 * held back until `finish()`. The server's `100 Continue` proves it has read the headers.
 */
export async function requestInFlight(
  host: string,
  path: string,
  body: unknown,
): Promise<{ finish(): Promise<{ status: number; head: string }>; closed: Promise<void> }> {
  const [hostname = '', port = ''] = host.split(':');
  const socket: Socket = connect(Number(port), hostname);
  let received = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => (received += chunk));
  const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  const payload = Buffer.from(JSON.stringify(body));
  socket.write(
    `POST ${path} HTTP/1.1\r\nHost: ${host}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${payload.length}\r\nExpect: 100-continue\r\n\r\n`,
  );
  for (let i = 0; i < 300 && !received.includes('100 Continue'); i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (!received.includes('100 Continue')) throw new Error('the server did not read the headers');
  return {
    closed: ended,
    finish: async () => {
      received = '';
      socket.write(payload);
      await ended;
      const head = received.split('\r\n\r\n')[0] ?? '';
      return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1] ?? 0), head };
    },
  };
}

export function connectionRefused(host: string): Promise<boolean> {
  const [hostname = '', port = ''] = host.split(':');
  return new Promise((resolve) => {
    const socket = connect(Number(port), hostname);
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
  });
}

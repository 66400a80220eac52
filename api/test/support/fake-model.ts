import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeModelMode =
  | { kind: 'stream'; chunks: string[]; totalTokens: number }
  | { kind: 'error'; status: number }
  | { kind: 'hang' };

export interface FakeModel {
  baseUrl: string;
  /** Every request body received, as sent. */
  requests: string[];
  mode: FakeModelMode;
  close(): Promise<void>;
}

/** An OpenAI-compatible chat-completions endpoint on loopback, streaming what the test says. */
export async function startFakeModel(mode: FakeModelMode): Promise<FakeModel> {
  const model: Omit<FakeModel, 'baseUrl' | 'close'> = { requests: [], mode };
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      model.requests.push(body);
      const current = model.mode;
      if (request.url !== '/v1/chat/completions' || request.method !== 'POST') {
        response.writeHead(404).end();
        return;
      }
      if (current.kind === 'hang') return;
      if (current.kind === 'error') {
        response
          .writeHead(current.status, { 'content-type': 'application/json' })
          .end('{"error":{"message":"down"}}');
        return;
      }
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      for (const chunk of current.chunks) {
        response.write(`data: ${JSON.stringify({ choices: [{ delta: { content: chunk } }] })}\n\n`);
      }
      response.write(
        `data: ${JSON.stringify({ choices: [], usage: { total_tokens: current.totalTokens } })}\n\n`,
      );
      response.end('data: [DONE]\n\n');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(model, {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

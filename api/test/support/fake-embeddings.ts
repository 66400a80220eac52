import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Words that mean the same thing share a dimension, as they would in a real embedding model: a
 * question can find a passage it shares no word with ("money back" → "reimburse").
 */
const CONCEPTS: string[][] = [
  ['refund', 'refunds', 'reimburse', 'reimbursed', 'money', 'back', 'repay', 'return', 'returns'],
  ['ship', 'shipping', 'delivery', 'deliver', 'postage', 'parcel', 'arrive', 'courier'],
  ['open', 'opening', 'hours', 'closed', 'weekday', 'weekend', 'visit'],
  ['pay', 'payment', 'card', 'invoice', 'klarna', 'bill'],
];
const DIMENSIONS = 32;

/** A deterministic "embedding": concept counts plus hashed other words, unit length. */
export function fakeEmbedding(text: string): number[] {
  const vector = new Array<number>(DIMENSIONS).fill(0);
  for (const word of text.toLowerCase().match(/\p{L}+/gu) ?? []) {
    const concept = CONCEPTS.findIndex((words) => words.includes(word));
    if (concept >= 0) {
      vector[concept] = (vector[concept] ?? 0) + 3;
    } else {
      let hash = 0;
      for (const char of word) hash = (hash * 31 + char.charCodeAt(0)) >>> 0;
      const slot = CONCEPTS.length + (hash % (DIMENSIONS - CONCEPTS.length));
      vector[slot] = (vector[slot] ?? 0) + 0.2;
    }
  }
  const length = Math.hypot(...vector) || 1;
  return vector.map((value) => value / length);
}

export interface FakeEmbeddings {
  baseUrl: string;
  /** Every input text received. */
  inputs: string[];
  /** `false`: answer 503 to everything, as a provider that is down. */
  up: boolean;
  close(): Promise<void>;
}

/** An OpenAI-compatible `/v1/embeddings` endpoint on loopback. */
export async function startFakeEmbeddings(): Promise<FakeEmbeddings> {
  const state: Omit<FakeEmbeddings, 'baseUrl' | 'close'> = { inputs: [], up: true };
  const server: Server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    request.on('end', () => {
      if (request.url !== '/v1/embeddings' || request.method !== 'POST') {
        response.writeHead(404).end();
        return;
      }
      if (!state.up) {
        response.writeHead(503, { 'content-type': 'application/json' }).end('{"error":{"message":"down"}}');
        return;
      }
      const { input } = JSON.parse(body) as { input: string[] };
      state.inputs.push(...input);
      response.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          object: 'list',
          data: input.map((text, index) => ({ object: 'embedding', index, embedding: fakeEmbedding(text) })),
          usage: { prompt_tokens: input.length, total_tokens: input.length },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(state, {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  });
}

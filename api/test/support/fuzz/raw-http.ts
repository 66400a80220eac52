import { Agent, request } from 'node:http';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: unknown;
  text: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: 4 });

/**
 * One request with exactly these bytes, through node:http rather than a client library that would
 * fix them up. Rejects when no answer arrives within `timeoutMs`: a hanging request is a finding.
 */
export function sendRaw(
  host: string,
  options: { method: string; path: string; headers: Record<string, string>; body?: string | Buffer },
  timeoutMs: number,
): Promise<RawResponse> {
  const [hostname, port] = host.split(':');
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        agent,
        hostname,
        port: Number(port),
        method: options.method,
        path: options.path,
        headers: options.headers,
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = null;
          try {
            body = text ? JSON.parse(text) : null;
          } catch {
            body = null;
          }
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body, text });
        });
        response.on('error', reject);
      },
    );
    const timer = setTimeout(() => {
      outgoing.destroy(new Error(`no answer within ${timeoutMs} ms`));
    }, timeoutMs);
    outgoing.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    outgoing.end(options.body);
  });
}

/** Percent-encodes a path segment, lone surrogates included (encodeURIComponent throws on them). */
export function encodeSegment(value: string): string {
  return [...value]
    .map((character) => {
      const unit = character.charCodeAt(0);
      if (character.length > 1 || unit < 0xd800 || unit > 0xdfff) return encodeURIComponent(character);
      // The three bytes UTF-8 would use were surrogates allowed (WTF-8): invalid on purpose.
      return [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)]
        .map((byte) => `%${byte.toString(16).toUpperCase()}`)
        .join('');
    })
    .join('');
}

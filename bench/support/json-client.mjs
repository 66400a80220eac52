import { Agent, request as httpRequest } from 'node:http';

/**
 * A keep-alive JSON client of a server on loopback, the same one for Cloop and for a bench's bare
 * baseline: `(method, path, body?, headers?)` resolves the parsed answer and rejects on a status of
 * 300 or more. `sockets` caps the connections it keeps (1: requests go one at a time).
 */
export function jsonClient(port, sockets) {
  const agent = new Agent({ keepAlive: true, maxSockets: sockets });
  return (method, path, body, headers = {}) =>
    new Promise((resolve, reject) => {
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = httpRequest(
        {
          host: '127.0.0.1',
          port,
          method,
          path,
          agent,
          headers: {
            ...(payload
              ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) }
              : {}),
            ...headers,
          },
        },
        (res) => {
          let text = '';
          res.setEncoding('utf8');
          res.on('data', (chunk) => (text += chunk));
          res.on('end', () => {
            if (res.statusCode >= 300) reject(new Error(`${method} ${path}: ${res.statusCode} ${text}`));
            else resolve(text ? JSON.parse(text) : null);
          });
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
}

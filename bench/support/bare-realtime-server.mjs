// The bare baseline of bench/realtime-latency.mjs: node:http, one parameterised INSERT through a
// pg.Pool, and a `ws` send of the stored row to every connected socket; with REDIS_URL the row goes
// through a Redis channel first (publish, then the subscriber sends), as Cloop's replicas do.
// Nothing else: no framework, no validation beyond JSON.parse, no access checks.
//   DATABASE_URL=… BARE_TABLE=bench_bare.messages BARE_POOL=10 [REDIS_URL=…] node bench/support/bare-realtime-server.mjs
// Prints the port it listens on as its first line of output; sockets connect to ws://…/socket.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Pool } = require('pg');
const { WebSocketServer } = require('ws');
const { Redis } = require('ioredis');

const CHANNEL = 'bench-bare-realtime';
const table = process.env.BARE_TABLE;
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.BARE_POOL) });
// An idle connection ended from outside (a shared server's tests may end backends) is replaced by
// the pool on the next query; it must not end the baseline.
pool.on('error', () => undefined);
const insert = `INSERT INTO ${table} (conversation_id, site_id, seq, client_message_id, author, body)
  VALUES ($1, $2, $3, $4, 'visitor', $5)
  RETURNING id, conversation_id, seq, client_message_id, author, body, created_at`;

const server = createServer();
const sockets = new WebSocketServer({ server, path: '/socket' });
const deliver = (frame) => {
  for (const socket of sockets.clients) socket.send(frame);
};
let publish = async (frame) => deliver(frame);
let redis = [];
if (process.env.REDIS_URL) {
  const publisher = new Redis(process.env.REDIS_URL);
  const subscriber = new Redis(process.env.REDIS_URL);
  await subscriber.subscribe(CHANNEL);
  subscriber.on('message', (_channel, frame) => deliver(frame));
  publish = (frame) => publisher.publish(CHANNEL, frame);
  redis = [publisher, subscriber];
}

server.on('request', (request, response) => {
  let body = '';
  request.setEncoding('utf8');
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    const message = JSON.parse(body);
    pool
      .query(insert, [message.conversationId, message.siteId, message.seq, message.id, message.body])
      .then(async ({ rows }) => {
        const row = rows[0];
        await publish(
          JSON.stringify({
            type: 'message.created',
            message: { ...row, clientMessageId: row.client_message_id },
          }),
        );
        response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(row));
      })
      .catch((error) => {
        response.writeHead(500).end(String(error.message));
      });
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
process.on('SIGTERM', () => {
  sockets.close();
  server.close();
  for (const connection of redis) connection.disconnect();
  void pool.end().then(() => process.exit(0));
});

// The bare baseline of bench/ingest.mjs: node:http and one parameterised INSERT through a pg.Pool
// of the app's size, into a table with the messages table's columns and indexes. Nothing else: no
// framework, no validation beyond JSON.parse, no events. Started as its own process by the bench.
//   DATABASE_URL=… BARE_TABLE=bench_bare.messages BARE_POOL=10 node bench/support/bare-ingest-server.mjs
// Prints the port it listens on as its first line of output.
import { createServer } from 'node:http';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { Pool } = require('pg');

const table = process.env.BARE_TABLE;
const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.BARE_POOL) });
// An idle connection ended from outside (a shared server's tests may end backends) is replaced by
// the pool on the next query; it must not end the baseline.
pool.on('error', () => undefined);
const insert = `INSERT INTO ${table} (conversation_id, site_id, seq, client_message_id, author, body)
  VALUES ($1, $2, $3, $4, 'visitor', $5)
  RETURNING id, conversation_id, seq, client_message_id, author, body, created_at`;

const server = createServer((request, response) => {
  let body = '';
  request.setEncoding('utf8');
  request.on('data', (chunk) => (body += chunk));
  request.on('end', () => {
    const message = JSON.parse(body);
    pool
      .query(insert, [message.conversationId, message.siteId, message.seq, message.id, message.body])
      .then(({ rows }) => {
        response.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify(rows[0]));
      })
      .catch((error) => {
        response.writeHead(500).end(String(error.message));
      });
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
process.on('SIGTERM', () => {
  server.close();
  void pool.end().then(() => process.exit(0));
});

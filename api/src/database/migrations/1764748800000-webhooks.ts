import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Webhook endpoints per site and the outbox of their deliveries. A delivery row is written in the
 * transaction of the change it reports, so an event exists exactly when the change does; workers
 * on every replica claim due rows with `FOR UPDATE SKIP LOCKED`.
 */
export class Webhooks1764748800000 implements MigrationInterface {
  name = 'Webhooks1764748800000';

  async up(db: QueryRunner): Promise<void> {
    await db.query(`
      CREATE TABLE webhook_endpoints (
        id uuid PRIMARY KEY,
        site_id uuid NOT NULL REFERENCES sites (id) ON DELETE CASCADE,
        url text NOT NULL CHECK (url ~ '^https?://' AND length(url) <= 2048),
        events text[] NOT NULL CHECK (cardinality(events) > 0),
        -- AES-256-GCM under a key derived from the JWT secret, bound to the row id: a database dump
        -- alone does not give the secrets away.
        secret_encrypted text NOT NULL,
        secret_created_at timestamptz(3) NOT NULL DEFAULT now(),
        enabled boolean NOT NULL DEFAULT true,
        created_at timestamptz(3) NOT NULL DEFAULT now(),
        updated_at timestamptz(3) NOT NULL DEFAULT now(),
        CONSTRAINT webhook_endpoints_id_site_key UNIQUE (id, site_id)
      )`);
    await db.query(`CREATE INDEX webhook_endpoints_site_idx ON webhook_endpoints (site_id, created_at, id)`);

    await db.query(`
      CREATE TABLE webhook_deliveries (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        endpoint_id uuid NOT NULL,
        site_id uuid NOT NULL,
        -- One event goes to every subscribed endpoint under the same id.
        event_id uuid NOT NULL,
        event_type text NOT NULL,
        -- Whom the payload is about, so an erasure finds it; the rows go with the visitor or
        -- conversation in any case (retention, deletion by the team).
        visitor_id uuid REFERENCES visitors (id) ON DELETE CASCADE,
        conversation_id uuid REFERENCES conversations (id) ON DELETE CASCADE,
        payload jsonb NOT NULL,
        status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'succeeded', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz(3),
        last_status_code integer,
        last_error text,
        attempt_log jsonb NOT NULL DEFAULT '[]',
        created_at timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
        updated_at timestamptz(3) NOT NULL DEFAULT clock_timestamp(),
        CONSTRAINT webhook_deliveries_endpoint_fkey FOREIGN KEY (endpoint_id, site_id)
          REFERENCES webhook_endpoints (id, site_id) ON DELETE CASCADE
      )`);
    // The workers' queue: only rows still to send.
    await db.query(
      `CREATE INDEX webhook_deliveries_due_idx ON webhook_deliveries (next_attempt_at, id) WHERE status = 'pending'`,
    );
    // The console's delivery log, newest first.
    await db.query(
      `CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, created_at DESC, id DESC)`,
    );
    await db.query(`CREATE INDEX webhook_deliveries_visitor_idx ON webhook_deliveries (visitor_id)`);
    await db.query(
      `CREATE INDEX webhook_deliveries_conversation_idx ON webhook_deliveries (conversation_id)`,
    );
    await db.query(`CREATE INDEX webhook_deliveries_created_idx ON webhook_deliveries (created_at)`);
  }

  async down(db: QueryRunner): Promise<void> {
    await db.query(`DROP TABLE webhook_deliveries`);
    await db.query(`DROP TABLE webhook_endpoints`);
  }
}

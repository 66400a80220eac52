import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DataSource } from 'typeorm';

import { ChainHasher, GENESIS_HASH, type StoredChainRow } from '../src/audit/audit-chain';
import { readCheckpoint } from '../src/audit/audit-checkpoint';
import { AuditKeys } from '../src/audit/audit-keys';
import { AuditService } from '../src/audit/audit.service';
import { createSite, signUp } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

const onServer = Boolean(process.env['DATABASE_URL']);

describe('the audit key', () => {
  it('is not the JWT secret: rotating JWT_SECRET leaves the trail and its checkpoints verifiable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cloop-audit-rotation-'));
    const auditKey = randomBytes(32).toString('base64url');
    // The same data (a PostgreSQL server, or an embedded directory on disk) seen with a new secret.
    const first = await startTestApp({ env: { AUDIT_KEY: auditKey }, embeddedDataDir: join(dir, 'pglite') });
    let second: TestApp | null = null;
    try {
      const owner = await signUp(first.http);
      await createSite(first.http, owner);
      await createSite(first.http, owner);
      const checkpoint = JSON.stringify(await first.app.get(AuditService).checkpoint());
      const rotated = { AUDIT_KEY: auditKey, JWT_SECRET: randomBytes(32).toString('base64url') };
      if (onServer) {
        second = await startTestApp({ env: { ...first.sharedEnv, ...rotated } });
      } else {
        await first.close();
        second = await startTestApp({ env: rotated, embeddedDataDir: join(dir, 'pglite') });
      }

      // The old secret's tokens are gone: the secret really changed.
      await second.http.get(route('/api/v1/auth/me')).set(owner.auth).expect(401);
      const audit = second.app.get(AuditService);
      const verified = await audit.verify(readCheckpoint(checkpoint, second.app.get(AuditKeys).checkpoint));
      expect(verified).toMatchObject({ events: 2, breaks: [], checkpoint: { findings: [] } });
    } finally {
      await second?.close();
      await first.close();
      await rm(dir, { recursive: true, force: true });
    }
  });

  describe('and rows from before it', () => {
    let t: TestApp;
    let db: DataSource;
    /** Anyone can compute a plain SHA-256: the key does not matter for it. */
    const plain = new ChainHasher(randomBytes(32));

    /** Rows as the previous version wrote them: plain SHA-256, `hash_alg` 'sha256' (the migration's). */
    const insertUnkeyedRows = async (organizationId: string, count: number): Promise<StoredChainRow[]> => {
      const rows: StoredChainRow[] = [];
      for (let seq = 1; seq <= count; seq += 1) {
        const fields = {
          organizationId,
          seq,
          actorKind: 'system',
          actorUserId: null,
          action: 'retention.deleted',
          targetType: null,
          targetId: null,
          details: { conversations: seq },
          createdAt: new Date(Date.UTC(2025, 0, 1, 0, 0, seq)),
          prevHash: rows.at(-1)?.hash ?? GENESIS_HASH,
        };
        const row = {
          ...fields,
          id: '',
          hash: plain.hash(fields, 'sha256'),
          hashAlgorithm: 'sha256' as const,
        };
        const [inserted] = await db.query<{ id: string }[]>(
          `INSERT INTO audit_events (organization_id, seq, actor_kind, actor_user_id, action, target_type,
             target_id, details, created_at, prev_hash, hash, hash_alg)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'sha256') RETURNING id`,
          [
            organizationId,
            seq,
            row.actorKind,
            row.actorUserId,
            row.action,
            row.targetType,
            row.targetId,
            JSON.stringify(row.details),
            row.createdAt,
            row.prevHash,
            row.hash,
          ],
        );
        rows.push({ ...row, id: inserted?.id ?? '' });
      }
      return rows;
    };
    const breaksOf = async (organizationId: string) =>
      (await t.app.get(AuditService).verify()).breaks.filter(
        (broken) => broken.organizationId === organizationId,
      );
    const tamper = async (statement: string, params: unknown[]) => {
      await db.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only`);
      try {
        await db.query(statement, params);
      } finally {
        await db.query(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`);
      }
    };

    beforeAll(async () => {
      t = await startTestApp();
      db = t.app.get(DataSource);
    });
    afterAll(() => t.close());

    it('still verify, and keyed rows continue their chain', async () => {
      const owner = await signUp(t.http);
      await insertUnkeyedRows(owner.organizationId, 3);
      await createSite(t.http, owner);

      const verified = await t.app.get(AuditService).verify();

      expect(verified.unkeyedEvents).toBe(3);
      expect(await breaksOf(owner.organizationId)).toEqual([]);
      const chain = await db.query<{ seq: number; hash_alg: string }[]>(
        `SELECT seq::int AS seq, hash_alg FROM audit_events WHERE organization_id = $1 ORDER BY seq`,
        [owner.organizationId],
      );
      expect(chain.map((row) => row.hash_alg)).toEqual(['sha256', 'sha256', 'sha256', 'hmac-sha256']);
    });

    it('are protected by the first keyed row: rewriting them with every hash recomputed is caught there', async () => {
      const owner = await signUp(t.http);
      const [, second, third] = await insertUnkeyedRows(owner.organizationId, 3);
      await createSite(t.http, owner);
      const [keyed] = await db.query<{ id: string }[]>(
        `SELECT id FROM audit_events WHERE organization_id = $1 AND seq = 4`,
        [owner.organizationId],
      );
      if (!second || !third) throw new Error('rows missing');
      const forgedSecond = { ...second, details: { conversations: 0 } };
      forgedSecond.hash = plain.hash(forgedSecond, 'sha256');
      const forgedThird = { ...third, prevHash: forgedSecond.hash };
      forgedThird.hash = plain.hash(forgedThird, 'sha256');
      await tamper(`UPDATE audit_events SET details = $2, hash = $3 WHERE id = $1`, [
        second.id,
        JSON.stringify(forgedSecond.details),
        forgedSecond.hash,
      ]);
      await tamper(`UPDATE audit_events SET prev_hash = $2, hash = $3 WHERE id = $1`, [
        third.id,
        forgedThird.prevHash,
        forgedThird.hash,
      ]);

      expect(await breaksOf(owner.organizationId)).toEqual([
        { organizationId: owner.organizationId, id: keyed?.id, seq: 4, reason: 'broken link' },
      ]);
    });

    it('when a chain has nothing newer, says that rewriting them is provable only against a checkpoint', async () => {
      const owner = await signUp(t.http);
      await insertUnkeyedRows(owner.organizationId, 2);

      const verified = await t.app.get(AuditService).verify();

      expect(await breaksOf(owner.organizationId)).toEqual([]);
      expect(verified.unproven).toContainEqual(
        expect.stringMatching(/^\d+ chain\(s\) end in rows from before AUDIT_KEY \(plain SHA-256, no key\)/),
      );
    });
  });
});

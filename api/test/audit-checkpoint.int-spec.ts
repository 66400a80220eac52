import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';

import { DataSource } from 'typeorm';

import { ChainHasher, GENESIS_HASH } from '../src/audit/audit-chain';
import { type Checkpoint, signCheckpoint } from '../src/audit/audit-checkpoint';
import { AuditKeys, deriveAuditKeys } from '../src/audit/audit-keys';
import type { AuditVerification } from '../src/audit/audit.service';
import { auditPublicKeyCommand, checkpointAuditCommand, verifyAuditCommand } from '../src/cli/audit-commands';
import type { CliIo } from '../src/cli/password-input';
import { createSite, type SignedUpUser, signUp } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';

interface Run {
  code: number;
  out: string;
  err: string;
}

type Command = typeof verifyAuditCommand;

/** Runs a `cloop` audit command in-process, as the CLI does, capturing its output. */
async function run(t: TestApp, command: Command, args: string[], stdin = ''): Promise<Run> {
  let out = '';
  let err = '';
  const io: CliIo = {
    stdin: Readable.from([stdin]),
    stdout: { write: (text: string) => (out += text) },
    stderr: { write: (text: string) => (err += text) },
  };
  const code = await command(t.app, args, io);
  return { code, out, err };
}

const verification = (result: Run) => JSON.parse(result.out) as AuditVerification;

describe('cloop audit:checkpoint and audit:verify', () => {
  let t: TestApp;
  let db: DataSource;
  let dir: string;

  /** A fresh organization with a chain of `rows` events (sites created). */
  const organizationWithChain = async (rows = 5): Promise<SignedUpUser> => {
    const owner = await signUp(t.http);
    for (let index = 0; index < rows; index += 1) await createSite(t.http, owner, { name: `Shop ${index}` });
    return owner;
  };
  /** Changes the trail as someone with write access to the database would (trigger off). */
  const tamper = async (statement: string, params: unknown[]) => {
    await db.query(`ALTER TABLE audit_events DISABLE TRIGGER audit_events_append_only`);
    try {
      await db.query(statement, params);
    } finally {
      await db.query(`ALTER TABLE audit_events ENABLE TRIGGER audit_events_append_only`);
    }
  };
  const checkpointFile = async (name: string): Promise<string> => {
    const file = join(dir, `${name}.json`);
    expect((await run(t, checkpointAuditCommand, ['--out', file])).code).toBe(0);
    return file;
  };
  const linesAbout = (result: Run, organizationId: string) =>
    result.err.split('\n').filter((line) => line.startsWith(`organization ${organizationId}:`));

  beforeAll(async () => {
    t = await startTestApp();
    db = t.app.get(DataSource);
    dir = await mkdtemp(join(tmpdir(), 'cloop-audit-'));
    await organizationWithChain(3);
  });
  afterAll(async () => {
    await t.close();
    await rm(dir, { recursive: true, force: true });
  });

  describe('on an intact trail', () => {
    it('verifies, keyed rows only, and says plainly what it cannot prove without a checkpoint', async () => {
      const result = await run(t, verifyAuditCommand, []);

      expect(result.code).toBe(0);
      expect(verification(result)).toMatchObject({ breaks: [], unkeyedEvents: 0, checkpoint: null });
      const algorithms = await db.query<{ hash_alg: string }[]>(`SELECT DISTINCT hash_alg FROM audit_events`);
      expect(algorithms).toEqual([{ hash_alg: 'hmac-sha256' }]);
      expect(result.err).toContain(
        'cannot prove: without a checkpoint, deleting the newest rows of a chain (tail truncation) or a ' +
          'whole chain cannot be detected',
      );
      expect(result.err).toMatch(/audit trail intact: \d+ chain\(s\)/);
    });

    it("writes a signed checkpoint of every chain's head, which the trail then matches", async () => {
      const owner = await organizationWithChain(4);
      const file = await checkpointFile('intact');
      const checkpoint = JSON.parse(await readFile(file, 'utf8')) as Checkpoint;
      const [head] = await db.query<{ hash: string; created_at: Date }[]>(
        `SELECT hash, created_at FROM audit_events WHERE organization_id = $1 ORDER BY seq DESC LIMIT 1`,
        [owner.organizationId],
      );
      expect(checkpoint).toMatchObject({
        format: 'cloop-audit-checkpoint/1',
        keyId: expect.stringMatching(/^[0-9a-f]{16}$/) as string,
        signature: expect.any(String) as string,
      });
      expect(checkpoint.chains).toContainEqual({
        organizationId: owner.organizationId,
        seq: 4,
        hash: head?.hash,
        createdAt: head?.created_at.toISOString(),
      });
      // Ids and hashes only: nothing personal leaves the database in a checkpoint.
      expect(await readFile(file, 'utf8')).not.toMatch(/@example\.test/);

      // Rows added after the checkpoint are new, not suspect.
      await createSite(t.http, owner, { name: 'After the checkpoint' });
      const result = await run(t, verifyAuditCommand, ['--checkpoint', file]);
      expect(result.code).toBe(0);
      expect(verification(result).checkpoint).toEqual({
        createdAt: checkpoint.createdAt,
        chains: checkpoint.chains.length,
        findings: [],
      });
      expect(result.err).toContain(`consistent with the checkpoint of ${checkpoint.createdAt}`);
      expect(result.err).toContain(
        `cannot prove: rows written after the checkpoint (${checkpoint.createdAt})`,
      );
    });

    it('reads the checkpoint from standard input with --checkpoint -', async () => {
      const file = await checkpointFile('stdin');
      const result = await run(t, verifyAuditCommand, ['--checkpoint', '-'], await readFile(file, 'utf8'));
      expect(result.code).toBe(0);
      expect(verification(result).checkpoint?.findings).toEqual([]);
    });

    it('refuses rows that do not say how they were hashed', async () => {
      const [row] = await db.query<{ organization_id: string }[]>(
        `SELECT organization_id FROM audit_events LIMIT 1`,
      );
      await expect(
        db.query(
          `INSERT INTO audit_events (organization_id, seq, actor_kind, action, created_at, prev_hash, hash)
           VALUES ($1, 100000, 'system', 'site.created', now(), $2, $2)`,
          [row?.organization_id, GENESIS_HASH],
        ),
      ).rejects.toThrow(/hash_alg/);
    });
  });

  describe('detects against a checkpoint, and says which', () => {
    it.each<[string, (organizationId: string) => Promise<void>, RegExp]>([
      [
        'the newest row deleted',
        (org) => tamper(`DELETE FROM audit_events WHERE organization_id = $1 AND seq = 5`, [org]),
        /: tail deleted: the newest row \(seq 5\) is missing; the chain ends at seq 4$/,
      ],
      [
        'the three newest rows deleted',
        (org) => tamper(`DELETE FROM audit_events WHERE organization_id = $1 AND seq > 2`, [org]),
        /: tail deleted: the 3 newest rows \(seq 3–5\) are missing; the chain ends at seq 2$/,
      ],
      [
        'the whole chain deleted',
        (org) => tamper(`DELETE FROM audit_events WHERE organization_id = $1`, [org]),
        /: whole chain deleted: the checkpoint has rows 1–5, the database none$/,
      ],
    ])('%s, which the chain alone cannot show', async (_, change, message) => {
      const owner = await organizationWithChain(5);
      const file = await checkpointFile(`deleted-${owner.organizationId}`);

      await change(owner.organizationId);

      const withCheckpoint = await run(t, verifyAuditCommand, ['--checkpoint', file]);
      expect(withCheckpoint.code).toBe(1);
      expect(linesAbout(withCheckpoint, owner.organizationId)).toEqual([expect.stringMatching(message)]);
      expect(withCheckpoint.err).toContain('audit trail TAMPERED');
      // Without the checkpoint what is left is a valid chain: only the warning says what is unproven.
      const without = await run(t, verifyAuditCommand, []);
      expect(linesAbout(without, owner.organizationId)).toEqual([]);
      expect(without.err).toContain('cannot prove: without a checkpoint');
    });

    it('the newest row rewritten with its SHA-256 recomputed, also without a checkpoint', async () => {
      const owner = await organizationWithChain(5);
      const file = await checkpointFile('rewritten');
      const [row] = await db.query<Record<string, unknown>[]>(
        `SELECT id, seq::int AS seq, actor_kind, actor_user_id, target_type, target_id, created_at, prev_hash
           FROM audit_events WHERE organization_id = $1 AND seq = 5`,
        [owner.organizationId],
      );
      if (!row) throw new Error('no newest row');
      // What an attacker can compute: the plain SHA-256 of the row as they want it to read.
      const forged = {
        organizationId: owner.organizationId,
        seq: 5,
        actorKind: row['actor_kind'] as string,
        actorUserId: row['actor_user_id'] as string,
        action: 'site.updated',
        targetType: row['target_type'] as string,
        targetId: row['target_id'] as string,
        details: { fields: ['name'] },
        createdAt: row['created_at'] as Date,
        prevHash: row['prev_hash'] as string,
      };
      const sha256 = new ChainHasher(randomBytes(32)).hash(forged, 'sha256');
      await tamper(`UPDATE audit_events SET action = $2, details = $3, hash = $4 WHERE id = $1`, [
        row['id'],
        forged.action,
        JSON.stringify(forged.details),
        sha256,
      ]);

      const withCheckpoint = await run(t, verifyAuditCommand, ['--checkpoint', file]);
      expect(withCheckpoint.code).toBe(1);
      expect(linesAbout(withCheckpoint, owner.organizationId)).toEqual([
        `organization ${owner.organizationId}: first bad row seq 5 (id ${String(row['id'])}): hash mismatch`,
        `organization ${owner.organizationId}: tail rewritten: row seq 5 differs from the checkpoint (its hash changed)`,
      ]);
      const without = await run(t, verifyAuditCommand, []);
      expect(without.code).toBe(1);
      expect(linesAbout(without, owner.organizationId)).toEqual([
        `organization ${owner.organizationId}: first bad row seq 5 (id ${String(row['id'])}): hash mismatch`,
      ]);

      // Posing as a row from before the audit key does not help either.
      await tamper(`UPDATE audit_events SET hash_alg = 'sha256' WHERE id = $1`, [row['id']]);
      expect(linesAbout(await run(t, verifyAuditCommand, []), owner.organizationId)).toEqual([
        `organization ${owner.organizationId}: first bad row seq 5 (id ${String(row['id'])}): unkeyed row after keyed rows`,
      ]);
    });

    it('a middle row rewritten, named by the chain check', async () => {
      const owner = await organizationWithChain(5);
      const file = await checkpointFile('middle');
      const [middle] = await db.query<{ id: string }[]>(
        `SELECT id FROM audit_events WHERE organization_id = $1 AND seq = 3`,
        [owner.organizationId],
      );
      await tamper(`UPDATE audit_events SET details = '{"role":"owner"}' WHERE id = $1`, [middle?.id]);

      const result = await run(t, verifyAuditCommand, ['--checkpoint', file]);
      expect(result.code).toBe(1);
      expect(linesAbout(result, owner.organizationId)).toEqual([
        `organization ${owner.organizationId}: first bad row seq 3 (id ${middle?.id}): hash mismatch`,
      ]);
    });
  });

  describe('a checkpoint file', () => {
    it.each<[string, (text: string) => string, string]>([
      [
        'with a head moved back by hand',
        (text) => {
          const checkpoint = JSON.parse(text) as Checkpoint;
          const [first] = checkpoint.chains;
          if (first) first.seq -= 1;
          return JSON.stringify(checkpoint);
        },
        'bad signature: the file was altered after it was signed',
      ],
      [
        'with a chain removed by hand',
        (text) => {
          const checkpoint = JSON.parse(text) as Checkpoint;
          return JSON.stringify({ ...checkpoint, chains: checkpoint.chains.slice(1) });
        },
        'bad signature: the file was altered after it was signed',
      ],
      [
        'with another signature',
        (text) =>
          JSON.stringify({
            ...(JSON.parse(text) as Checkpoint),
            signature: randomBytes(64).toString('base64'),
          }),
        'bad signature: the file was altered after it was signed',
      ],
      ['that is not JSON', (text) => text.slice(0, 40), 'it is not JSON'],
      [
        'of another kind',
        () => '{"format":"something else"}',
        'it is not a Cloop audit checkpoint (format cloop-audit-checkpoint/1)',
      ],
    ])('%s is refused', async (_, alter, reason) => {
      const file = await checkpointFile('to-alter');
      await writeFile(file, alter(await readFile(file, 'utf8')));

      const result = await run(t, verifyAuditCommand, ['--checkpoint', file]);

      expect(result).toMatchObject({ code: 1, out: '' });
      expect(result.err).toBe(`checkpoint ${file} refused: ${reason}\n`);
    });

    it('signed under another audit key is refused, naming both key ids', async () => {
      const otherInstall = deriveAuditKeys(randomBytes(32).toString('base64url')).checkpoint;
      const file = join(dir, 'other-install.json');
      await writeFile(file, JSON.stringify(signCheckpoint(otherInstall, [], new Date())));

      const result = await run(t, verifyAuditCommand, ['--checkpoint', file]);

      expect(result.code).toBe(1);
      expect(result.err).toBe(
        `checkpoint ${file} refused: it was signed with another audit key ` +
          `(key id ${otherInstall.keyId}, this install's is ${t.app.get(AuditKeys).checkpoint.keyId})\n`,
      );
    });

    it('that does not exist is a usage error', async () => {
      await expect(run(t, verifyAuditCommand, ['--checkpoint', join(dir, 'missing.json')])).rejects.toThrow(
        /Cannot read the checkpoint .*missing\.json \(ENOENT\)/,
      );
    });

    it('can be checked with the public key alone', async () => {
      const { createPublicKey, verify } = await import('node:crypto');
      const pem = (await run(t, auditPublicKeyCommand, [])).out;
      const checkpoint = JSON.parse(await readFile(await checkpointFile('public'), 'utf8')) as Checkpoint;
      const { signature, ...body } = checkpoint;
      // Canonical JSON, as `jq -jcS 'del(.signature)'` prints it.
      const sorted = (value: unknown): unknown =>
        Array.isArray(value)
          ? value.map(sorted)
          : value && typeof value === 'object'
            ? Object.fromEntries(
                Object.entries(value)
                  .sort(([a], [b]) => (a < b ? -1 : 1))
                  .map(([key, inner]) => [key, sorted(inner)]),
              )
            : value;
      const signed = Buffer.from(JSON.stringify(sorted(body)));
      expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
      expect(verify(null, signed, createPublicKey(pem), Buffer.from(signature, 'base64'))).toBe(true);
    });
  });
});

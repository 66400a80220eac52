import { sign, verify } from 'node:crypto';

import { canonical } from './audit-chain';
import type { CheckpointKeys } from './audit-keys';

export const CHECKPOINT_FORMAT = 'cloop-audit-checkpoint/1';

/** The newest row of one organization's chain when the checkpoint was taken. */
export interface ChainHead {
  organizationId: string;
  seq: number;
  hash: string;
  /** When that row was written. */
  createdAt: string;
}

/**
 * A signed statement "these were the chains' heads at `createdAt`", kept by an auditor outside the
 * database. The signature (Ed25519, base64) covers every other field as canonical JSON: keys
 * sorted, no whitespace — what `jq -jcS 'del(.signature)'` prints, so it can be checked with
 * OpenSSL and the public key alone.
 */
export interface Checkpoint {
  format: typeof CHECKPOINT_FORMAT;
  createdAt: string;
  keyId: string;
  chains: ChainHead[];
  signature: string;
}

export class CheckpointRefusedError extends Error {
  override name = 'CheckpointRefusedError';
}

export function signCheckpoint(keys: CheckpointKeys, chains: ChainHead[], now: Date): Checkpoint {
  const body: Omit<Checkpoint, 'signature'> = {
    format: CHECKPOINT_FORMAT,
    createdAt: now.toISOString(),
    keyId: keys.keyId,
    chains,
  };
  return { ...body, signature: sign(null, signedBytes(body), keys.privateKey).toString('base64') };
}

/**
 * Reads a checkpoint file and checks it was signed with this install's audit key and not changed
 * since; throws {@link CheckpointRefusedError} saying why otherwise.
 */
export function readCheckpoint(text: string, keys: CheckpointKeys): Checkpoint {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new CheckpointRefusedError('it is not JSON');
  }
  if (!isRecord(parsed) || parsed['format'] !== CHECKPOINT_FORMAT) {
    throw new CheckpointRefusedError(`it is not a Cloop audit checkpoint (format ${CHECKPOINT_FORMAT})`);
  }
  const { signature, ...body } = parsed;
  if (body['keyId'] !== keys.keyId) {
    throw new CheckpointRefusedError(
      `it was signed with another audit key (key id ${String(body['keyId'])}, this install's is ${keys.keyId})`,
    );
  }
  const signatureBytes = typeof signature === 'string' ? Buffer.from(signature, 'base64') : Buffer.alloc(0);
  if (signatureBytes.length !== 64 || !verify(null, signedBytes(body), keys.publicKey, signatureBytes)) {
    throw new CheckpointRefusedError('bad signature: the file was altered after it was signed');
  }
  // Signed by us, so well-formed unless our own format changed: checked anyway, never trusted blindly.
  if (
    typeof body['createdAt'] !== 'string' ||
    !Array.isArray(body['chains']) ||
    !body['chains'].every(isHead)
  ) {
    throw new CheckpointRefusedError('its content is not in the expected shape');
  }
  return parsed as unknown as Checkpoint;
}

function signedBytes(body: Record<string, unknown>): Buffer {
  return Buffer.from(JSON.stringify(canonical(body)), 'utf8');
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isHead(value: unknown): value is ChainHead {
  return (
    isRecord(value) &&
    typeof value['organizationId'] === 'string' &&
    Number.isSafeInteger(value['seq']) &&
    (value['seq'] as number) > 0 &&
    typeof value['hash'] === 'string' &&
    typeof value['createdAt'] === 'string'
  );
}

/** What the database holds today for one chain a checkpoint names. */
export interface ChainToday {
  /** Its newest row, or `null` if no row is left. */
  head: { seq: number; hash: string } | null;
  /** The hash of its row at the checkpoint's `seq`, if that row exists. */
  hashAtCheckpointSeq: string | null;
  organizationExists: boolean;
}

/** How the end of a chain differs from its checkpoint. */
export type CheckpointFinding =
  | { organizationId: string; kind: 'chain deleted'; checkpointSeq: number; organizationExists: boolean }
  | { organizationId: string; kind: 'tail deleted'; checkpointSeq: number; headSeq: number; deleted: number }
  | { organizationId: string; kind: 'tail rewritten'; seq: number };

/**
 * Compares a chain with its checkpointed head. Rows after that head are new, not suspect; the
 * chain check covers whether every row up to the head still links to it.
 */
export function compareWithCheckpoint(checkpointed: ChainHead, today: ChainToday): CheckpointFinding | null {
  const { organizationId, seq } = checkpointed;
  if (today.head === null) {
    return {
      organizationId,
      kind: 'chain deleted',
      checkpointSeq: seq,
      organizationExists: today.organizationExists,
    };
  }
  if (today.head.seq < seq) {
    return {
      organizationId,
      kind: 'tail deleted',
      checkpointSeq: seq,
      headSeq: today.head.seq,
      deleted: seq - today.head.seq,
    };
  }
  if (today.hashAtCheckpointSeq !== checkpointed.hash) return { organizationId, kind: 'tail rewritten', seq };
  return null;
}

export function describeFinding(finding: CheckpointFinding): string {
  const where = `organization ${finding.organizationId}`;
  switch (finding.kind) {
    case 'chain deleted':
      return (
        `${where}: whole chain deleted: the checkpoint has rows 1–${finding.checkpointSeq}, the database none` +
        (finding.organizationExists
          ? ''
          : ' (the organization is gone too: expected only if it was deleted on purpose)')
      );
    case 'tail deleted':
      return finding.deleted === 1
        ? `${where}: tail deleted: the newest row (seq ${finding.checkpointSeq}) is missing; the chain ends at seq ${finding.headSeq}`
        : `${where}: tail deleted: the ${finding.deleted} newest rows (seq ${finding.headSeq + 1}–${finding.checkpointSeq}) are missing; the chain ends at seq ${finding.headSeq}`;
    case 'tail rewritten':
      return `${where}: tail rewritten: row seq ${finding.seq} differs from the checkpoint (its hash changed)`;
  }
}

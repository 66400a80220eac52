import { createHash, createPrivateKey, createPublicKey, hkdfSync, type KeyObject } from 'node:crypto';

import { Inject, Injectable } from '@nestjs/common';

import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';
import { ChainHasher } from './audit-chain';

/** PKCS #8 wrapping of a raw 32-byte Ed25519 seed (RFC 8410): how Node imports a derived key. */
const ED25519_PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

/** The signing half of the checkpoint key pair, and what an auditor needs to check a signature. */
export interface CheckpointKeys {
  privateKey: KeyObject;
  publicKey: KeyObject;
  /** The public key as PEM (SPKI), what `cloop audit:public-key` prints. */
  publicKeyPem: string;
  /** First 16 hex digits of SHA-256 over the public key (DER): names the key in a checkpoint. */
  keyId: string;
}

/**
 * Everything the audit trail derives from AUDIT_KEY, each under its own label (HKDF), and nothing
 * from the JWT secret: rotating that one leaves the trail verifiable.
 *
 * Checkpoints are signed with Ed25519 rather than an HMAC so that an auditor can check them with the
 * public key alone, without holding a secret that could forge rows.
 */
export function deriveAuditKeys(auditKey: string): { hasher: ChainHasher; checkpoint: CheckpointKeys } {
  const chainKey = Buffer.from(hkdfSync('sha256', auditKey, '', 'cloop audit chain v1', 32));
  const seed = Buffer.from(hkdfSync('sha256', auditKey, '', 'cloop audit checkpoint ed25519 v1', 32));
  const privateKey = createPrivateKey({
    key: Buffer.concat([ED25519_PKCS8_PREFIX, seed]),
    format: 'der',
    type: 'pkcs8',
  });
  const publicKey = createPublicKey(privateKey);
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return {
    hasher: new ChainHasher(chainKey),
    checkpoint: {
      privateKey,
      publicKey,
      publicKeyPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
      keyId: createHash('sha256').update(der).digest('hex').slice(0, 16),
    },
  };
}

@Injectable()
export class AuditKeys {
  readonly hasher: ChainHasher;
  readonly checkpoint: CheckpointKeys;

  constructor(@Inject(APP_CONFIG) config: ResolvedConfig) {
    ({ hasher: this.hasher, checkpoint: this.checkpoint } = deriveAuditKeys(config.auditKey));
  }
}

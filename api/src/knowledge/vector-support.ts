import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';

import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';
import { isUniqueViolation } from '../database/constraint-violations';
import { EmbeddingClient } from './embedding-client';
import { VectorRepository } from './vector.repository';

export type VectorStatus =
  /** Vectors are stored and searched beside the full-text index. */
  | 'enabled'
  /** pgvector is there, but no EMBEDDING_MODEL is configured. */
  | 'no-model'
  /** An embedding model is configured, but the database has no pgvector (e.g. Debian's PostgreSQL). */
  | 'no-extension';

/**
 * Detects pgvector at boot and, with an embedding model configured, adds the chunk columns that hold
 * vectors. The columns are added here rather than in a migration because they exist only where the
 * extension does: the same migrations run on every PostgreSQL, with or without pgvector, and a
 * server that gains the extension later gains vector search at the next start. Without pgvector
 * nothing fails: search is full-text only.
 */
@Injectable()
export class VectorSupport implements OnModuleInit {
  private readonly logger = new Logger('Knowledge');
  private current: VectorStatus = 'no-extension';
  private readonly client: EmbeddingClient | null;

  constructor(
    private readonly vectors: VectorRepository,
    @Inject(APP_CONFIG) config: ResolvedConfig,
  ) {
    this.client = config.embeddings ? new EmbeddingClient(config.embeddings) : null;
  }

  get status(): VectorStatus {
    return this.current;
  }

  /** The embedding client, when vectors are stored and searched. */
  get embeddings(): EmbeddingClient | null {
    return this.current === 'enabled' ? this.client : null;
  }

  async onModuleInit(): Promise<void> {
    const installed = await this.installExtension();
    if (!installed) {
      this.current = 'no-extension';
      if (this.client) {
        this.logger.warn('EMBEDDING_MODEL is set but the database has no pgvector: full-text search only');
      }
      return;
    }
    if (!this.client) {
      this.current = 'no-model';
      return;
    }
    await this.vectors.addEmbeddingColumns();
    this.current = 'enabled';
    this.logger.log(`Vector search with ${this.client.model} beside full-text search`);
  }

  /** `true` when pgvector is installed in the database (creating it where it is only available). */
  private async installExtension(): Promise<boolean> {
    const { installed, available } = await this.vectors.extensionState();
    if (installed) return true;
    if (!available) return false;
    try {
      await this.vectors.createExtension();
      return true;
    } catch (error) {
      // Another replica created it at the same moment: that is success too.
      if (isUniqueViolation(error)) return true;
      this.logger.warn(
        `pgvector is available but could not be created (${(error as { code?: string }).code ?? 'error'}); ` +
          'a superuser can run CREATE EXTENSION vector. Full-text search only.',
      );
      return false;
    }
  }
}

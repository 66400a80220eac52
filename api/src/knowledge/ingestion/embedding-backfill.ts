import {
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';

import { EMBEDDING_BATCH, toVectorLiteral } from '../embedding-client';
import { KnowledgeRepository } from '../knowledge.repository';
import { VectorSupport } from '../vector-support';

const REQUEST_TIMEOUT_MS = 60_000;
/** After a provider failure: chunks stay searchable by their words meanwhile. */
const RETRY_AFTER_MS = 60_000;

/**
 * Gives every chunk a vector, in the background: chunks are searchable by their words the moment
 * they are stored, and by meaning once embedded. Runs at boot (chunks stored while the provider was
 * down, or before a model was configured or changed) and after each indexing. Two replicas may
 * embed the same batch at the same moment; the result is the same vectors, so no lock is taken.
 */
@Injectable()
export class EmbeddingBackfill implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger('Knowledge');
  private running: Promise<void> | null = null;
  private requested = false;
  private retryTimer: NodeJS.Timeout | null = null;
  private stopping = false;

  constructor(
    private readonly knowledge: KnowledgeRepository,
    private readonly vectors: VectorSupport,
  ) {}

  onApplicationBootstrap(): void {
    this.kick();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stopping = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    await this.running;
  }

  /** New chunks were stored: embed them soon. */
  kick(): void {
    if (!this.vectors.embeddings || this.stopping) return;
    this.requested = true;
    this.running ??= this.drain().finally(() => {
      this.running = null;
      if (this.requested) this.kick();
    });
  }

  /** Settles when nothing is left to embed or the provider failed (tests, benchmarks). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  private async drain(): Promise<void> {
    const client = this.vectors.embeddings;
    if (!client) return;
    while (this.requested && !this.stopping) {
      const batch = await this.knowledge.chunksToEmbed(client.model, EMBEDDING_BATCH);
      if (batch.length === 0) {
        this.requested = false;
        return;
      }
      let vectors: number[][];
      try {
        vectors = await client.embed(
          batch.map((chunk) => `${chunk.heading}\n${chunk.content}`.trim()),
          REQUEST_TIMEOUT_MS,
        );
      } catch (error) {
        this.logger.warn(
          `embedding provider unavailable (${error instanceof Error ? error.name : 'error'}); retrying in a minute`,
        );
        this.requested = false;
        this.retryTimer = setTimeout(() => this.kick(), RETRY_AFTER_MS);
        this.retryTimer.unref();
        return;
      }
      await this.knowledge.storeEmbeddings(
        client.model,
        batch.map((chunk) => chunk.id),
        vectors.map(toVectorLiteral),
      );
    }
  }
}

import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

/** pgvector's presence in the database, and the chunk columns that hold vectors. */
@Injectable()
export class VectorRepository {
  constructor(private readonly dataSource: DataSource) {}

  async extensionState(): Promise<{ installed: boolean; available: boolean }> {
    const [row] = await this.dataSource.query<{ installed: boolean; available: boolean }[]>(
      `SELECT EXISTS (SELECT 1 FROM pg_extension WHERE extname = 'vector') AS installed,
              EXISTS (SELECT 1 FROM pg_available_extensions WHERE name = 'vector') AS available`,
    );
    return row ?? { installed: false, available: false };
  }

  async createExtension(): Promise<void> {
    await this.dataSource.query('CREATE EXTENSION IF NOT EXISTS vector');
  }

  /** Untyped `vector`: any model's length fits; only vectors of one model are ever compared. */
  async addEmbeddingColumns(): Promise<void> {
    await this.dataSource.query(
      `ALTER TABLE knowledge_chunks ADD COLUMN IF NOT EXISTS embedding vector,
                                   ADD COLUMN IF NOT EXISTS embedding_model text`,
    );
  }
}

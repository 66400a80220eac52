import { Module } from '@nestjs/common';

import { AccessModule } from '../access/access.module';
import { CrawlRunner } from './ingestion/crawl-runner';
import { EmbeddingBackfill } from './ingestion/embedding-backfill';
import { KnowledgeController } from './knowledge.controller';
import { KnowledgeRepository } from './knowledge.repository';
import { KnowledgeService } from './knowledge.service';
import { KnowledgeSearch } from './retrieval/knowledge-search.service';
import { SearchRepository } from './retrieval/search.repository';
import { VectorSupport } from './vector-support';
import { VectorRepository } from './vector.repository';

@Module({
  imports: [AccessModule],
  controllers: [KnowledgeController],
  providers: [
    KnowledgeService,
    KnowledgeRepository,
    KnowledgeSearch,
    SearchRepository,
    CrawlRunner,
    VectorSupport,
    VectorRepository,
    EmbeddingBackfill,
  ],
  exports: [KnowledgeSearch, CrawlRunner, VectorSupport, EmbeddingBackfill],
})
export class KnowledgeModule {}

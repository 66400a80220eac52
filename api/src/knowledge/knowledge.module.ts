import { Module } from '@nestjs/common';

import { AccessModule } from '../access/access.module';
import { CrawlRunner } from './crawl-runner';
import { EmbeddingBackfill } from './embedding-backfill';
import { KnowledgeController } from './knowledge.controller';
import { KnowledgeRepository } from './knowledge.repository';
import { KnowledgeService } from './knowledge.service';
import { VectorSupport } from './vector-support';
import { VectorRepository } from './vector.repository';

@Module({
  imports: [AccessModule],
  controllers: [KnowledgeController],
  providers: [
    KnowledgeService,
    KnowledgeRepository,
    CrawlRunner,
    VectorSupport,
    VectorRepository,
    EmbeddingBackfill,
  ],
  exports: [KnowledgeService, CrawlRunner, VectorSupport, EmbeddingBackfill],
})
export class KnowledgeModule {}

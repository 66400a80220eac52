import { Module } from '@nestjs/common';

import { AccessModule } from '../access/access.module';
import { CrawlRunner } from './crawl-runner';
import { KnowledgeController } from './knowledge.controller';
import { KnowledgeRepository } from './knowledge.repository';
import { KnowledgeService } from './knowledge.service';

@Module({
  imports: [AccessModule],
  controllers: [KnowledgeController],
  providers: [KnowledgeService, KnowledgeRepository, CrawlRunner],
  exports: [KnowledgeService, CrawlRunner],
})
export class KnowledgeModule {}

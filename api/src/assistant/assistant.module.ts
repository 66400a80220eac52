import { Module } from '@nestjs/common';

import { ConversationsModule } from '../conversations/conversations.module';
import { KnowledgeModule } from '../knowledge/knowledge.module';
import { KnowledgeService } from '../knowledge/knowledge.service';
import { AssistantService } from './assistant.service';
import { Responder } from './responder';
import { RetrievalResponder } from './retrieval-responder';

@Module({
  imports: [ConversationsModule, KnowledgeModule],
  providers: [
    AssistantService,
    {
      provide: Responder,
      inject: [KnowledgeService],
      useFactory: (knowledge: KnowledgeService) => new RetrievalResponder(knowledge),
    },
  ],
  exports: [AssistantService],
})
export class AssistantModule {}

import { Module } from '@nestjs/common';

import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';
import { ConversationsModule } from '../conversations/conversations.module';
import { KnowledgeModule } from '../knowledge/knowledge.module';
import { KnowledgeSearch } from '../knowledge/retrieval/knowledge-search.service';
import { AssistantService } from './assistant.service';
import { OpenAiResponder } from './openai-responder';
import { Responder } from './responder';
import { RetrievalResponder } from './retrieval-responder';
import { TokenBudgetRepository } from './token-budget.repository';
import { EventBusModule } from '../events/event-bus.module';

@Module({
  imports: [EventBusModule, ConversationsModule, KnowledgeModule],
  providers: [
    AssistantService,
    TokenBudgetRepository,
    {
      provide: Responder,
      inject: [APP_CONFIG, KnowledgeSearch, TokenBudgetRepository],
      // Retrieval only by default; a configured model answers, with retrieval as its fallback.
      useFactory: (config: ResolvedConfig, knowledge: KnowledgeSearch, budget: TokenBudgetRepository) => {
        const retrieval = new RetrievalResponder(knowledge);
        return config.llm ? new OpenAiResponder(config.llm, knowledge, budget, retrieval) : retrieval;
      },
    },
  ],
  exports: [AssistantService],
})
export class AssistantModule {}

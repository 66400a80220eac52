import { Module } from '@nestjs/common';

import { ConversationsModule } from '../conversations/conversations.module';
import { AssistantService } from './assistant.service';
import { Responder } from './responder';
import { SettingsResponder } from './settings-responder';

@Module({
  imports: [ConversationsModule],
  providers: [AssistantService, { provide: Responder, useFactory: () => new SettingsResponder() }],
  exports: [AssistantService],
})
export class AssistantModule {}

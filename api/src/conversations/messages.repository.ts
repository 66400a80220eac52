import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { Tx } from '../database/transactions';
import { MessageEntity } from './message.entity';

/** A message with the display name of the agent who wrote it, if any. */
export type MessageRow = MessageEntity & { authorName: string | null };

export type NewMessage = Pick<
  MessageEntity,
  | 'conversationId'
  | 'siteId'
  | 'seq'
  | 'clientMessageId'
  | 'author'
  | 'authorUserId'
  | 'body'
  | 'citations'
  | 'confidence'
>;

@Injectable()
export class MessagesRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Messages of one conversation after a sequence number, oldest first. */
  listAfter(
    siteId: string,
    conversationId: string,
    afterSeq: number,
    limit: number,
    tx?: Tx,
  ): Promise<MessageRow[]> {
    return this.withAuthorNames(tx ?? this.dataSource.manager)
      .where('m.site_id = :siteId AND m.conversation_id = :conversationId AND m.seq > :afterSeq', {
        siteId,
        conversationId,
        afterSeq,
      })
      .orderBy('m.seq')
      .limit(limit)
      .getRawAndEntities<{ author_name: string | null }>()
      .then(({ entities, raw }) => attachNames(entities, raw));
  }

  private withAuthorNames(manager: Tx) {
    return (
      manager
        .getRepository(MessageEntity)
        .createQueryBuilder('m')
        // Another module's table by its name: its entity stays its own (docs/architecture.md).
        .leftJoin('users', 'u', 'u.id = m.author_user_id')
        .addSelect('u.name', 'author_name')
    );
  }
}

function attachNames(entities: MessageEntity[], raw: { author_name: string | null }[]): MessageRow[] {
  return entities.map((entity, index) => ({ ...entity, authorName: raw[index]?.author_name ?? null }));
}

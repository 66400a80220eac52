import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { Tx } from '../database/transactions';
import { UserEntity } from '../users/user.entity';
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

  findByClientId(
    siteId: string,
    conversationId: string,
    clientMessageId: string,
    tx?: Tx,
  ): Promise<MessageEntity | null> {
    return (tx ?? this.dataSource.manager)
      .getRepository(MessageEntity)
      .findOneBy({ siteId, conversationId, clientMessageId });
  }

  async insert(tx: Tx, message: NewMessage): Promise<MessageEntity> {
    const result = await tx.getRepository(MessageEntity).insert(message);
    return { ...message, ...(result.generatedMaps[0] as Pick<MessageEntity, 'id' | 'createdAt'>) };
  }

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

  /** Whether anyone of the site's team has written in the conversation. */
  hasAgentMessage(siteId: string, conversationId: string): Promise<boolean> {
    return this.dataSource
      .getRepository(MessageEntity)
      .exists({ where: { siteId, conversationId, author: 'agent' } });
  }

  async authorName(userId: string | null): Promise<string | null> {
    if (!userId) return null;
    const user = await this.dataSource
      .getRepository(UserEntity)
      .findOne({ select: { name: true }, where: { id: userId } });
    return user?.name ?? null;
  }

  private withAuthorNames(manager: Tx) {
    return manager
      .getRepository(MessageEntity)
      .createQueryBuilder('m')
      .leftJoin(UserEntity, 'u', 'u.id = m.author_user_id')
      .addSelect('u.name', 'author_name');
  }
}

function attachNames(entities: MessageEntity[], raw: { author_name: string | null }[]): MessageRow[] {
  return entities.map((entity, index) => ({ ...entity, authorName: raw[index]?.author_name ?? null }));
}

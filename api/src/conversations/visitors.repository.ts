import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { ConversationEntity } from './conversation.entity';
import type { MessageRow } from './messages.repository';
import { PreparedStatement } from '../database/prepared-statement';
import { VisitorEntity } from './visitor.entity';

/** What a widget message needs to know before it is appended, read in one round trip. */
export interface VisitorConversation {
  /** The site still has this public key (a cached key may have been rotated meanwhile). */
  siteKeyValid: boolean;
  visitorId: string | null;
  /** The visitor's open conversation. */
  conversation: ConversationEntity | null;
  /** A message already stored in it under the client id (a retry). */
  stored: MessageRow | null;
}

interface VisitorConversationRow {
  site_key_valid: boolean;
  visitor_id: string | null;
  conversation: Record<string, unknown> | null;
  stored: Record<string, unknown> | null;
}

/** A widget message's read on its longer way (a first message, a refused limit, a rotated key). */
const findWithOpenConversation = new PreparedStatement<VisitorConversationRow>(
  'cloop_visitor_open_conversation',
  `SELECT EXISTS (SELECT 1 FROM sites WHERE id = $1 AND public_key = $2) AS site_key_valid,
          v.id AS visitor_id, to_jsonb(c) AS conversation, to_jsonb(m) AS stored
     FROM (SELECT 1) one
     LEFT JOIN visitors v ON v.site_id = $1 AND v.visitor_uuid = $3
     LEFT JOIN conversations c ON c.visitor_id = v.id AND c.site_id = $1 AND c.status = 'open'
     LEFT JOIN messages m ON m.conversation_id = c.id AND m.site_id = $1 AND m.client_message_id = $4`,
);

@Injectable()
export class VisitorsRepository {
  constructor(private readonly dataSource: DataSource) {}

  find(siteId: string, visitorUuid: string): Promise<VisitorEntity | null> {
    return this.dataSource.getRepository(VisitorEntity).findOneBy({ siteId, visitorUuid });
  }

  /**
   * Creates the visitor, or marks an existing one seen: concurrent first requests make one row.
   * `last_seen_at` is written at most once a minute: a returning visitor's request is then a read.
   */
  async upsert(siteId: string, visitorUuid: string): Promise<{ id: string }> {
    const [row] = await this.dataSource.query<{ id: string }[]>(
      `WITH upserted AS (
         INSERT INTO visitors (site_id, visitor_uuid) VALUES ($1, $2)
         ON CONFLICT (site_id, visitor_uuid) DO UPDATE SET last_seen_at = now()
          WHERE visitors.last_seen_at < now() - interval '1 minute'
         RETURNING id
       )
       SELECT id FROM upserted
       UNION ALL
       SELECT id FROM visitors WHERE site_id = $1 AND visitor_uuid = $2 AND NOT EXISTS (SELECT 1 FROM upserted)`,
      [siteId, visitorUuid],
    );
    if (row) return row;
    // Inserted by a request that committed after this statement's snapshot: it is there now.
    const again = await this.find(siteId, visitorUuid);
    if (!again) throw new Error('visitor vanished right after its upsert');
    return again;
  }

  /** The site key's validity, the visitor, their open conversation and a stored retry, at once. */
  async findWithOpenConversation(
    siteId: string,
    publicKey: string,
    visitorUuid: string,
    clientMessageId: string,
  ): Promise<VisitorConversation> {
    const [row] = await findWithOpenConversation.run(this.dataSource, [
      siteId,
      publicKey,
      visitorUuid,
      clientMessageId,
    ]);
    if (!row) throw new Error('the visitor lookup returned no row');
    return {
      siteKeyValid: row.site_key_valid,
      visitorId: row.visitor_id,
      conversation: row.conversation ? conversationFromJson(row.conversation) : null,
      stored: row.stored ? messageFromJson(row.stored) : null,
    };
  }
}

// `to_jsonb` keeps one statement free of column-name clashes; timestamps come back as ISO text.
function conversationFromJson(json: Record<string, unknown>): ConversationEntity {
  return {
    id: json['id'] as string,
    siteId: json['site_id'] as string,
    visitorId: json['visitor_id'] as string,
    phase: json['phase'] as ConversationEntity['phase'],
    status: json['status'] as ConversationEntity['status'],
    email: json['email'] as string | null,
    leadStatus: json['lead_status'] as ConversationEntity['leadStatus'],
    entryUrl: json['entry_url'] as string | null,
    locale: json['locale'] as string | null,
    messageCount: json['message_count'] as number,
    lastSeq: json['last_seq'] as number,
    lastMessageAt: new Date(json['last_message_at'] as string),
    lastMessagePreview: json['last_message_preview'] as string | null,
    lastMessageAuthor: json['last_message_author'] as ConversationEntity['lastMessageAuthor'],
    teamSeenSeq: json['team_seen_seq'] as number,
    createdAt: new Date(json['created_at'] as string),
  };
}

function messageFromJson(json: Record<string, unknown>): MessageRow {
  return {
    id: json['id'] as string,
    conversationId: json['conversation_id'] as string,
    siteId: json['site_id'] as string,
    seq: json['seq'] as number,
    clientMessageId: json['client_message_id'] as string,
    author: json['author'] as MessageRow['author'],
    authorUserId: json['author_user_id'] as string | null,
    body: json['body'] as string,
    citations: json['citations'] as MessageRow['citations'],
    confidence: json['confidence'] as number | null,
    createdAt: new Date(json['created_at'] as string),
    // Only visitor messages are compared with a retry; agents' names are not needed here.
    authorName: null,
  };
}

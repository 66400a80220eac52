import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

export interface ConversationSubjectRow {
  visitor_uuid: string;
  email: string | null;
}

/** Finds the visitor behind a conversation, for the team's privacy requests. */
@Injectable()
export class PrivacySubjectsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The widget's UUID of the conversation's visitor and the email left there; `null` off the site. */
  async ofConversation(siteId: string, conversationId: string): Promise<ConversationSubjectRow | null> {
    const rows = await this.dataSource.query<ConversationSubjectRow[]>(
      `SELECT v.visitor_uuid, c.email
         FROM conversations c JOIN visitors v ON v.id = c.visitor_id AND v.site_id = c.site_id
        WHERE c.site_id = $1 AND c.id = $2`,
      [siteId, conversationId],
    );
    return rows[0] ?? null;
  }
}

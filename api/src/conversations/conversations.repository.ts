import { MESSAGE_PREVIEW_LENGTH, type MessageAuthor, type Phase } from '@cloop/contracts';
import { Injectable } from '@nestjs/common';
import { Brackets, DataSource } from 'typeorm';

import type { Tx } from '../database/transactions';
import { ConversationEntity } from './conversation.entity';
import { MessageEntity } from './message.entity';

export interface ConversationFilters {
  phase?: Phase;
  lead?: boolean;
  q?: string;
  from?: Date;
  to?: Date;
}

/** Position in the inbox, which is ordered by last activity, newest first. */
export interface ActivityKeyset {
  lastMessageAt: Date;
  id: string;
}

/** The replies a visitor has not read in their open conversation, and the latest of them. */
export interface VisitorUnread {
  conversationId: string;
  count: number;
  latest: {
    seq: number;
    author: Exclude<MessageAuthor, 'visitor'>;
    authorName: string | null;
    /** The start of the body (`MESSAGE_PREVIEW_LENGTH` characters). */
    preview: string;
  } | null;
}

interface VisitorUnreadRow {
  conversation_id: string;
  count: number;
  seq: number | null;
  author: Exclude<MessageAuthor, 'visitor'> | null;
  author_name: string | null;
  preview: string | null;
}

export type ConversationChanges = Partial<
  Pick<ConversationEntity, 'phase' | 'status' | 'leadStatus' | 'email' | 'entryUrl' | 'locale'>
>;

/** Every method is scoped by site (or by a visitor, who belongs to one site). */
@Injectable()
export class ConversationsRepository {
  constructor(private readonly dataSource: DataSource) {}

  findOpenForVisitor(siteId: string, visitorId: string): Promise<ConversationEntity | null> {
    return this.dataSource.getRepository(ConversationEntity).findOneBy({ siteId, visitorId, status: 'open' });
  }

  /** The visitor's open conversation, or else their most recently active one. */
  findLatestForVisitor(siteId: string, visitorId: string): Promise<ConversationEntity | null> {
    return this.dataSource
      .getRepository(ConversationEntity)
      .createQueryBuilder('c')
      .where('c.site_id = :siteId AND c.visitor_id = :visitorId', { siteId, visitorId })
      .orderBy("c.status = 'open'", 'DESC')
      .addOrderBy('c.last_message_at', 'DESC')
      .limit(1)
      .getOne();
  }

  /**
   * Opens a conversation for the visitor unless one is open already (then `null`): safe under
   * concurrent calls, the partial unique index decides.
   */
  async insertOpen(
    tx: Tx,
    siteId: string,
    visitorId: string,
    start: { entryUrl: string | null; locale: string | null },
  ): Promise<ConversationEntity | null> {
    const inserted = await tx.query<{ id: string }[]>(
      `INSERT INTO conversations (site_id, visitor_id, entry_url, locale) VALUES ($1, $2, $3, $4)
       ON CONFLICT (visitor_id) WHERE status = 'open' DO NOTHING
       RETURNING id`,
      [siteId, visitorId, start.entryUrl, start.locale],
    );
    const id = inserted[0]?.id;
    return id ? this.findInSite(siteId, id, tx) : null;
  }

  findInSite(siteId: string, conversationId: string, tx?: Tx): Promise<ConversationEntity | null> {
    return (tx ?? this.dataSource.manager)
      .getRepository(ConversationEntity)
      .findOneBy({ id: conversationId, siteId });
  }

  /** How far the visitor has read the conversation (the widget's unread badge). */
  async visitorSeenSeq(siteId: string, conversationId: string): Promise<number> {
    const rows = await this.dataSource.query<{ seen: number }[]>(
      `SELECT visitor_seen_seq AS seen FROM conversations WHERE site_id = $1 AND id = $2`,
      [siteId, conversationId],
    );
    return rows[0]?.seen ?? 0;
  }

  /**
   * What the visitor (by the widget's uuid) has not read in their open conversation: one read-only
   * statement; `null` when the site has no such visitor or they have no open conversation.
   */
  async unreadForVisitor(siteId: string, visitorUuid: string): Promise<VisitorUnread | null> {
    const replies = `messages m WHERE m.site_id = $1 AND m.conversation_id = c.id
       AND m.seq > c.visitor_seen_seq AND m.author <> 'visitor'`;
    const [row] = await this.dataSource.query<VisitorUnreadRow[]>(
      `SELECT c.id AS conversation_id, (SELECT count(*)::integer FROM ${replies}) AS count,
              l.seq, l.author, u.name AS author_name, left(l.body, ${MESSAGE_PREVIEW_LENGTH}) AS preview
         FROM visitors v
         JOIN conversations c ON c.visitor_id = v.id AND c.site_id = $1 AND c.status = 'open'
         LEFT JOIN LATERAL (SELECT m.seq, m.author, m.author_user_id, m.body FROM ${replies}
                             ORDER BY m.seq DESC LIMIT 1) l ON true
         LEFT JOIN users u ON u.id = l.author_user_id AND l.author = 'agent'
        WHERE v.site_id = $1 AND v.visitor_uuid = $2`,
      [siteId, visitorUuid],
    );
    if (!row) return null;
    return {
      conversationId: row.conversation_id,
      count: row.count,
      latest:
        row.seq !== null && row.author !== null
          ? { seq: row.seq, author: row.author, authorName: row.author_name, preview: row.preview ?? '' }
          : null,
    };
  }

  /**
   * The visitor has seen their conversation up to `seq`: only ever forward, and never past the
   * last message. One statement; `false` when the conversation is not this visitor's.
   */
  async markSeenByVisitor(
    siteId: string,
    visitorId: string,
    conversationId: string,
    seq: number,
  ): Promise<boolean> {
    // A raw UPDATE comes back from TypeORM as [rows, affected count].
    const [, affected] = await this.dataSource.query<[unknown[], number]>(
      `UPDATE conversations SET visitor_seen_seq = GREATEST(visitor_seen_seq, LEAST($4::integer, last_seq))
        WHERE site_id = $1 AND visitor_id = $2 AND id = $3`,
      [siteId, visitorId, conversationId, seq],
    );
    return affected > 0;
  }

  /**
   * The team has read the conversation up to `seq`: only ever forward, never past the last message.
   * One statement; `true` when the position moved (so there is something to announce).
   */
  async markSeenByTeam(siteId: string, conversationId: string, seq: number): Promise<boolean> {
    // A raw UPDATE comes back from TypeORM as [rows, affected count].
    const [, affected] = await this.dataSource.query<[unknown[], number]>(
      `UPDATE conversations SET team_seen_seq = LEAST($3::integer, last_seq)
        WHERE site_id = $1 AND id = $2 AND team_seen_seq < LEAST($3::integer, last_seq)`,
      [siteId, conversationId, seq],
    );
    return affected > 0;
  }

  /** Locks the conversation row: messages of one conversation are numbered one at a time. */
  lockInSite(tx: Tx, siteId: string, conversationId: string): Promise<ConversationEntity | null> {
    return tx
      .getRepository(ConversationEntity)
      .findOne({ where: { id: conversationId, siteId }, lock: { mode: 'pessimistic_write' } });
  }

  /** Moves the phase only if it is still `from`: one statement, so a concurrent change wins cleanly. */
  async advancePhase(
    tx: Tx,
    siteId: string,
    conversationId: string,
    from: Phase,
    to: Phase,
  ): Promise<boolean> {
    const result = await tx
      .getRepository(ConversationEntity)
      .update({ id: conversationId, siteId, phase: from }, { phase: to });
    return (result.affected ?? 0) > 0;
  }

  async update(tx: Tx, siteId: string, conversationId: string, changes: ConversationChanges): Promise<void> {
    await tx.getRepository(ConversationEntity).update({ id: conversationId, siteId }, changes);
  }

  /** `true` if a conversation of this site was deleted (its messages go with it). */
  async delete(tx: Tx, siteId: string, conversationId: string): Promise<boolean> {
    const result = await tx.getRepository(ConversationEntity).delete({ id: conversationId, siteId });
    return (result.affected ?? 0) > 0;
  }

  /** One inbox page: `limit + 1` rows after `after`, newest activity first. */
  list(
    siteId: string,
    filters: ConversationFilters,
    after: ActivityKeyset | null,
    limit: number,
  ): Promise<ConversationEntity[]> {
    const query = this.dataSource
      .getRepository(ConversationEntity)
      .createQueryBuilder('c')
      .where('c.site_id = :siteId', { siteId })
      .orderBy('c.last_message_at', 'DESC')
      .addOrderBy('c.id', 'DESC')
      .limit(limit + 1);
    if (filters.phase) query.andWhere('c.phase = :phase', { phase: filters.phase });
    if (filters.lead !== undefined) query.andWhere(filters.lead ? 'c.email IS NOT NULL' : 'c.email IS NULL');
    if (filters.from) query.andWhere('c.last_message_at >= :from', { from: filters.from });
    if (filters.to) query.andWhere('c.last_message_at <= :to', { to: filters.to });
    if (filters.q) {
      const search = this.dataSource
        .createQueryBuilder()
        .select('1')
        .from(MessageEntity, 'm')
        .where('m.conversation_id = c.id')
        .andWhere("to_tsvector('simple', m.body) @@ plainto_tsquery('simple', :q)");
      query.andWhere(
        new Brackets((where) =>
          where.where(`EXISTS (${search.getQuery()})`, { q: filters.q }).orWhere('c.email = lower(:q)', {
            q: filters.q,
          }),
        ),
      );
    }
    if (after) {
      query.andWhere('(c.last_message_at, c.id) < (:lastMessageAt, :id)', after);
    }
    return query.getMany();
  }
}

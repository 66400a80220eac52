import { MESSAGE_PREVIEW_LENGTH, type MessageAuthor, type Phase } from '@cloop/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { Tx } from '../database/transactions';
import { ConversationEntity } from './conversation.entity';

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

/** What the inbox lists of a conversation: its row, under the entity's property names. */
export type ConversationRow = Pick<
  ConversationEntity,
  | 'id'
  | 'siteId'
  | 'visitorId'
  | 'phase'
  | 'status'
  | 'email'
  | 'leadStatus'
  | 'entryUrl'
  | 'locale'
  | 'messageCount'
  | 'lastSeq'
  | 'lastMessageAt'
  | 'lastMessagePreview'
  | 'lastMessageAuthor'
  | 'teamSeenSeq'
  | 'createdAt'
>;

const LIST_COLUMNS = `c.id, c.site_id AS "siteId", c.visitor_id AS "visitorId", c.phase, c.status, c.email,
  c.lead_status AS "leadStatus", c.entry_url AS "entryUrl", c.locale, c.message_count AS "messageCount",
  c.last_seq AS "lastSeq", c.last_message_at AS "lastMessageAt",
  c.last_message_preview AS "lastMessagePreview", c.last_message_author AS "lastMessageAuthor",
  c.team_seen_seq AS "teamSeenSeq", c.created_at AS "createdAt"`;

/**
 * How `q` is searched (see `list`), by the number of messages it is expected to hit. Up to
 * `SEARCH_FIRST_HITS` hits, the full-text index finds them all and their conversations are sorted
 * (about 5 µs a hit); from `COMMON_WORD` of all messages, walking the inbox in activity order
 * finds a page within a few dozen conversations; in between, the full-text index's hits are
 * gathered first and the inbox is walked in activity order against them. Measured in
 * bench/inbox-api.mjs (docs/architecture.md).
 */
const SEARCH_FIRST_HITS = 2000;
const COMMON_WORD = 0.015;
/** PostgreSQL's statistics of the words in messages, read again after this long. */
const WORD_STATISTICS_TTL_MS = 60_000;

type SearchPlan = 'index-first' | 'index-then-activity' | 'activity';

interface WordStatistics {
  readAt: number;
  /** Messages in the table, and each frequent word's share of them; `null` before any ANALYZE. */
  messages: number;
  frequencies: Map<string, number> | null;
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

  /**
   * One inbox page: `limit + 1` rows after `after`, newest activity first, read as plain rows (no
   * entity hydration: that, not the query, was the cost of a page). Each filter the console offers
   * has an index that keeps the activity order (see the inbox-filters migration).
   *
   * `q` (words of the messages, or an exact email) goes through the full-text index first unless
   * its words are common (see {@link SearchPlan} and `searchPlan`); the three plans give the same
   * result, only their cost differs.
   */
  async list(
    siteId: string,
    filters: ConversationFilters,
    after: ActivityKeyset | null,
    limit: number,
  ): Promise<ConversationRow[]> {
    const params: unknown[] = [siteId];
    const param = (value: unknown) => `$${params.push(value)}`;
    const where = ['c.site_id = $1'];
    if (filters.phase) where.push(`c.phase = ${param(filters.phase)}`);
    if (filters.lead !== undefined) where.push(filters.lead ? 'c.email IS NOT NULL' : 'c.email IS NULL');
    if (filters.from) where.push(`c.last_message_at >= ${param(filters.from)}`);
    if (filters.to) where.push(`c.last_message_at <= ${param(filters.to)}`);
    if (after) where.push(`(c.last_message_at, c.id) < (${param(after.lastMessageAt)}, ${param(after.id)})`);
    const rows = param(limit + 1);
    const page = `ORDER BY c.last_message_at DESC, c.id DESC LIMIT ${rows}`;
    const select = (conditions: string[]) =>
      `SELECT ${LIST_COLUMNS} FROM conversations c WHERE ${conditions.join(' AND ')} ${page}`;
    if (!filters.q) return this.dataSource.query<ConversationRow[]>(select(where), params);

    const q = param(filters.q);
    const words = `to_tsvector('simple', m.body) @@ plainto_tsquery('simple', ${q})`;
    const hits = `SELECT m.conversation_id FROM messages m WHERE m.site_id = $1 AND ${words}`;
    const email = `c.email = lower(${q})`;
    switch (await this.searchPlan(siteId, filters.q)) {
      case 'index-first':
        // One IN over both, so that PostgreSQL joins the hits and sorts them (an OR beside the IN
        // would make it walk the whole inbox).
        return this.dataSource.query<ConversationRow[]>(
          select([
            ...where,
            `c.id IN (${hits} UNION ALL SELECT e.id FROM conversations e WHERE e.site_id = $1 AND e.email = lower(${q}))`,
          ]),
          params,
        );
      case 'index-then-activity':
        // The OR makes the hits one hashed set that the walk in activity order looks rows up in.
        return this.dataSource.query<ConversationRow[]>(
          select([...where, `(c.id IN (${hits}) OR ${email})`]),
          params,
        );
      case 'activity': {
        // Each branch walks in activity order on its own, and stops once it has a page.
        const inMessages = `EXISTS (${hits} AND m.conversation_id = c.id)`;
        return this.dataSource.query<ConversationRow[]>(
          `SELECT * FROM ((${select([...where, inMessages])}) UNION (${select([...where, email])})) c
            ORDER BY c."lastMessageAt" DESC, c.id DESC LIMIT ${rows}`,
          params,
        );
      }
    }
  }

  /**
   * How to search `q`: from PostgreSQL's statistics of the words in messages (kept by ANALYZE,
   * read once a minute), the share of messages its rarest word is in; a word the statistics do not
   * list is rare. Without statistics (before the first ANALYZE, as on a new embedded database),
   * the hits in the site's messages are counted up to {@link SEARCH_FIRST_HITS}.
   */
  private async searchPlan(siteId: string, q: string): Promise<SearchPlan> {
    const statistics = await this.wordStatistics();
    if (!statistics.frequencies) {
      const counted = await this.dataSource.query<{ hits: number }[]>(
        `SELECT count(*)::int AS hits FROM (
           SELECT 1 FROM messages m
            WHERE m.site_id = $1 AND to_tsvector('simple', m.body) @@ plainto_tsquery('simple', $2)
            LIMIT $3) h`,
        [siteId, q, SEARCH_FIRST_HITS + 1],
      );
      return (counted[0]?.hits ?? 0) <= SEARCH_FIRST_HITS ? 'index-first' : 'index-then-activity';
    }
    // Close to the 'simple' configuration's words; a miss only costs time, never changes the result.
    const words = q
      .toLowerCase()
      .split(/[^\p{L}\p{N}]+/u)
      .filter(Boolean);
    // No words (only punctuation): the full-text index answers at once that nothing matches.
    if (words.length === 0) return 'index-first';
    const frequencies = statistics.frequencies;
    const share = Math.min(...words.map((word) => frequencies.get(word) ?? 0), 1);
    if (share * statistics.messages <= SEARCH_FIRST_HITS) return 'index-first';
    return share >= COMMON_WORD ? 'activity' : 'index-then-activity';
  }

  private wordStatisticsCache: WordStatistics | null = null;

  private async wordStatistics(): Promise<WordStatistics> {
    const cached = this.wordStatisticsCache;
    if (cached && Date.now() - cached.readAt < WORD_STATISTICS_TTL_MS) return cached;
    // The statistics of the expression index's tsvector: its most common words and their shares.
    const rows = await this.dataSource.query<
      { words: string[] | null; shares: number[] | null; messages: number }[]
    >(
      `SELECT s.most_common_elems::text::text[] AS words, s.most_common_elem_freqs AS shares,
              (SELECT greatest(reltuples, 0)::float8 FROM pg_class
                WHERE oid = to_regclass(current_schema() || '.messages')) AS messages
         FROM (SELECT 1) one
         LEFT JOIN pg_stats s ON s.schemaname = current_schema() AND s.tablename = 'messages_body_search_idx'`,
    );
    const row = rows[0];
    const frequencies =
      row?.words && row.shares
        ? new Map(row.words.map((word, i) => [word, Number(row.shares?.[i] ?? 0)]))
        : null;
    const statistics = { readAt: Date.now(), messages: Number(row?.messages ?? 0), frequencies };
    // None yet: read again next time, so that the first ANALYZE counts at once.
    this.wordStatisticsCache = frequencies ? statistics : null;
    return statistics;
  }
}

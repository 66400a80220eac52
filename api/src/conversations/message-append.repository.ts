import { randomUUID } from 'node:crypto';

import { type Citation, MESSAGE_PREVIEW_LENGTH, type MessageAuthor, type Phase } from '@cloop/contracts';
import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { isUniqueViolation } from '../database/constraint-violations';
import { PreparedStatement } from '../database/prepared-statement';
import type { ConversationEntity } from './conversation.entity';
import type { MessageRow } from './messages.repository';

export interface AppendInput {
  siteId: string;
  conversationId: string;
  clientMessageId: string;
  author: MessageAuthor;
  authorUserId: string | null;
  body: string;
  citations: Citation[];
  confidence: number | null;
  /** The visitor message asks for a person: the conversation moves to `requesting_contact`. */
  wantsContact: boolean;
  /** The writing visitor's record, whose `last_seen_at` is refreshed at most once a minute. */
  visitorId: string | null;
}

/** A visitor's message to their open conversation, known by the browser's visitor uuid. */
export interface VisitorAppendInput {
  siteId: string;
  /** The key the widget sent: the append happens only while it is still the site's. */
  publicKey: string;
  visitorUuid: string;
  clientMessageId: string;
  body: string;
  wantsContact: boolean;
}

export type AppendOutcome =
  | {
      created: true;
      message: MessageRow;
      /** The conversation as the append left it. */
      conversation: ConversationEntity;
      phaseChanged: boolean;
      /** Someone of the site's team has written in the conversation (the assistant stays out). */
      handledByAgent: boolean;
    }
  /** The client id was stored before: that message, to compare with what came again. */
  | { created: false; message: MessageRow }
  | null;

/** How much of a message the inbox's list shows (and the conversation row keeps). */
export const PREVIEW_LENGTH = MESSAGE_PREVIEW_LENGTH;

const MESSAGE_COLUMNS = `id, conversation_id, site_id, seq, client_message_id, author, author_user_id, body,
  citations, confidence, created_at`;
const ISO_MS = `'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'`;

/**
 * The whole append as one statement, so a message costs one round trip and holds the
 * conversation's row lock only while PostgreSQL works, never while Node does:
 * - `existing`: an earlier message with this client id (a retry) makes the rest a no-op;
 * - `locked`/`conv`: lock the conversation, take the next `seq` (row lock: gap-free under
 *   concurrency, rows of other appends are re-read after their commit), count the message, keep
 *   the preview and last author, and move the phase when the visitor asks for a person; an agent's
 *   reply also moves the team's read position to itself (whoever answers has read that far);
 * - `msg`: the message; a concurrent append of the same client id fails on the unique key here,
 *   and the statement is run again to find that message;
 * - `seen`: the visitor's `last_seen_at`, written only when older than a minute;
 * - `hooks`: the webhook outbox rows of `message.created` (and `conversation.phase_changed`),
 *   the payloads of {@link WebhookOutbox.messageCreated} and {@link WebhookOutbox.phaseChanged}.
 * Raw SQL on purpose: this is the hot path (issue 15).
 */
function appendStatement(target: { conversation: string; visitor: string; with?: string }): string {
  return `
WITH ${target.with ?? ''} existing AS (
  SELECT ${MESSAGE_COLUMNS} FROM messages
   WHERE site_id = $1 AND conversation_id = ${target.conversation} AND client_message_id = $3
),
locked AS (
  SELECT id, phase FROM conversations
   WHERE id = ${target.conversation} AND site_id = $1 AND NOT EXISTS (SELECT 1 FROM existing)
     FOR UPDATE
),
conv AS (
  UPDATE conversations c
     SET last_seq = c.last_seq + 1,
         message_count = c.message_count + 1,
         last_message_at = greatest(c.last_message_at, clock_timestamp()),
         last_message_preview = left($6, ${PREVIEW_LENGTH}),
         last_message_author = $4,
         team_seen_seq = CASE WHEN $4::text = 'agent' THEN c.last_seq + 1 ELSE c.team_seen_seq END,
         phase = CASE WHEN $9 THEN 'requesting_contact' ELSE c.phase END
    FROM locked
   WHERE c.id = locked.id
  RETURNING c.*, locked.phase AS previous_phase
),
msg AS (
  INSERT INTO messages (conversation_id, site_id, seq, client_message_id, author, author_user_id, body,
                        citations, confidence)
  SELECT conv.id, conv.site_id, conv.last_seq, $3, $4, $5, $6, $7::jsonb, $8 FROM conv
  RETURNING ${MESSAGE_COLUMNS}
),
seen AS (
  UPDATE visitors SET last_seen_at = now()
   WHERE id = ${target.visitor} AND site_id = $1 AND last_seen_at < now() - interval '1 minute'
     AND EXISTS (SELECT 1 FROM msg)
),
events AS (
  SELECT 1 AS ord, $11::uuid AS event_id, 'message.created' AS event_type,
         jsonb_build_object(
           'conversationId', msg.conversation_id,
           'message', jsonb_build_object(
             'id', msg.id, 'seq', msg.seq, 'author', msg.author, 'body', msg.body,
             'createdAt', to_char(msg.created_at AT TIME ZONE 'UTC', ${ISO_MS}))) AS payload
    FROM msg
  UNION ALL
  SELECT 2, $12::uuid, 'conversation.phase_changed',
         jsonb_build_object('conversationId', conv.id, 'from', conv.previous_phase, 'to', conv.phase)
    FROM conv WHERE conv.phase IS DISTINCT FROM conv.previous_phase
),
hooks AS (
  INSERT INTO webhook_deliveries (endpoint_id, site_id, event_id, event_type, visitor_id, conversation_id,
                                  payload, next_attempt_at, created_at, updated_at)
  SELECT e.id, e.site_id, ev.event_id, ev.event_type, conv.visitor_id, conv.id, ev.payload, now(), now(), now()
    FROM events ev
    CROSS JOIN conv
    JOIN webhook_endpoints e ON e.site_id = conv.site_id AND e.enabled AND ev.event_type = ANY (e.events)
   ORDER BY ev.ord
)
SELECT m.*, u.name AS author_name, m.id IN (SELECT id FROM msg) AS created,
       conv.id AS c_id, conv.site_id AS c_site_id, conv.visitor_id AS c_visitor_id, conv.phase AS c_phase,
       conv.previous_phase AS c_previous_phase, conv.status AS c_status, conv.email AS c_email,
       conv.lead_status AS c_lead_status, conv.entry_url AS c_entry_url, conv.locale AS c_locale,
       conv.message_count AS c_message_count, conv.last_seq AS c_last_seq,
       conv.last_message_at AS c_last_message_at, conv.last_message_preview AS c_last_message_preview,
       conv.last_message_author AS c_last_message_author, conv.team_seen_seq AS c_team_seen_seq,
       conv.created_at AS c_created_at,
       conv.id IS NOT NULL AND EXISTS (
         SELECT 1 FROM messages a WHERE a.conversation_id = conv.id AND a.author = 'agent'
       ) AS c_handled_by_agent
  FROM (SELECT * FROM msg UNION ALL SELECT * FROM existing) m
  LEFT JOIN conv ON true
  LEFT JOIN users u ON u.id = m.author_user_id`;
}

/** Into a conversation by id ($2), with the writing visitor's record id ($10). */
const APPEND = appendStatement({ conversation: '$2', visitor: '$10::uuid' });

/**
 * A widget message's whole path in one statement: the visitor's open conversation, found by the
 * browser's visitor uuid ($2) on a site that still has the key the widget sent ($10, a cached key
 * may have been rotated), and the append to it. No row: the key is no longer the site's, or the
 * visitor has no open conversation (the caller takes the longer way then).
 */
const APPEND_FOR_VISITOR = appendStatement({
  with: `target AS (
  SELECT c.id, c.visitor_id FROM visitors v
    JOIN conversations c ON c.visitor_id = v.id AND c.site_id = $1 AND c.status = 'open'
   WHERE v.site_id = $1 AND v.visitor_uuid = $2
     AND EXISTS (SELECT 1 FROM sites s WHERE s.id = $1 AND s.public_key = $10)
),`,
  conversation: '(SELECT id FROM target)',
  visitor: '(SELECT visitor_id FROM target)',
});

interface AppendRow {
  id: string;
  conversation_id: string;
  site_id: string;
  seq: number;
  client_message_id: string;
  author: MessageAuthor;
  author_user_id: string | null;
  body: string;
  citations: Citation[];
  confidence: number | null;
  created_at: Date;
  author_name: string | null;
  created: boolean;
  c_id: string | null;
  c_site_id: string;
  c_visitor_id: string;
  c_phase: Phase;
  c_previous_phase: Phase;
  c_status: ConversationEntity['status'];
  c_email: string | null;
  c_lead_status: ConversationEntity['leadStatus'];
  c_entry_url: string | null;
  c_locale: string | null;
  c_message_count: number;
  c_last_seq: number;
  c_last_message_at: Date;
  c_last_message_preview: string | null;
  c_last_message_author: MessageAuthor | null;
  c_team_seen_seq: number;
  c_created_at: Date;
  c_handled_by_agent: boolean;
}

const append = new PreparedStatement<AppendRow>('cloop_message_append', APPEND);
const appendForVisitor = new PreparedStatement<AppendRow>(
  'cloop_message_append_for_visitor',
  APPEND_FOR_VISITOR,
);

@Injectable()
export class MessageAppendRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Appends in one autocommit statement: when this resolves the message is committed (with the
   * server's `synchronous_commit`). `null`: no such conversation in the site.
   */
  async append(input: AppendInput): Promise<AppendOutcome> {
    try {
      return await this.run(input);
    } catch (error) {
      // The same client id was being appended concurrently and won: now `existing` finds it.
      if (!isUniqueViolation(error, 'messages_conversation_client_id_key')) throw error;
      return this.run(input);
    }
  }

  /**
   * {@link append} of a visitor's message to their open conversation, found in the same statement.
   * `null`: the site's key changed, or the visitor has no open conversation.
   */
  async appendForVisitor(input: VisitorAppendInput): Promise<AppendOutcome> {
    const values = [
      input.siteId,
      input.visitorUuid,
      input.clientMessageId,
      'visitor',
      null,
      input.body,
      '[]',
      null,
      input.wantsContact,
      input.publicKey,
      randomUUID(),
      randomUUID(),
    ];
    try {
      return outcomeOf(await appendForVisitor.run(this.dataSource, values));
    } catch (error) {
      if (!isUniqueViolation(error, 'messages_conversation_client_id_key')) throw error;
      return outcomeOf(await appendForVisitor.run(this.dataSource, values));
    }
  }

  private async run(input: AppendInput): Promise<AppendOutcome> {
    const rows = await append.run(this.dataSource, [
      input.siteId,
      input.conversationId,
      input.clientMessageId,
      input.author,
      input.authorUserId,
      input.body,
      JSON.stringify(input.citations),
      input.confidence,
      input.wantsContact,
      input.visitorId,
      randomUUID(),
      randomUUID(),
    ]);
    return outcomeOf(rows);
  }
}

function outcomeOf(rows: AppendRow[]): AppendOutcome {
  const row = rows[0];
  if (!row) return null;
  const message = toMessage(row);
  if (!row.created || row.c_id === null) return { created: false, message };
  return {
    created: true,
    message,
    conversation: toConversation(row, row.c_id),
    phaseChanged: row.c_phase !== row.c_previous_phase,
    handledByAgent: row.c_handled_by_agent,
  };
}

function toMessage(row: AppendRow): MessageRow {
  return {
    id: row.id,
    conversationId: row.conversation_id,
    siteId: row.site_id,
    seq: row.seq,
    clientMessageId: row.client_message_id,
    author: row.author,
    authorUserId: row.author_user_id,
    body: row.body,
    citations: row.citations,
    confidence: row.confidence,
    createdAt: new Date(row.created_at),
    authorName: row.author_name,
  };
}

function toConversation(row: AppendRow, id: string): ConversationEntity {
  return {
    id,
    siteId: row.c_site_id,
    visitorId: row.c_visitor_id,
    phase: row.c_phase,
    status: row.c_status,
    email: row.c_email,
    leadStatus: row.c_lead_status,
    entryUrl: row.c_entry_url,
    locale: row.c_locale,
    messageCount: row.c_message_count,
    lastSeq: row.c_last_seq,
    lastMessageAt: new Date(row.c_last_message_at),
    lastMessagePreview: row.c_last_message_preview,
    lastMessageAuthor: row.c_last_message_author,
    teamSeenSeq: row.c_team_seen_seq,
    createdAt: new Date(row.c_created_at),
  };
}

import { randomUUID } from 'node:crypto';

import type {
  ConversationSeenRequest,
  CreateKnowledgeSourceRequest,
  CreateSiteRequest,
  CreateWebhookRequest,
  KnowledgeSearchRequest,
  PrivacySubjectRequest,
  SendMessageRequest,
  UpdateConversationRequest,
  UpdateSiteRequest,
  UpdateWebhookRequest,
} from '@cloop/contracts';

import { uniqueEmail } from '../factories';
import {
  as,
  conversationsOfA,
  freshConversationId,
  freshQuestionId,
  freshSiteA,
  freshSourceId,
  freshWebhookId,
  inOrgA,
  keyed,
  signedIn,
  type Row,
} from './machinery';
import { route } from '@cloop/client/route';

/** The matrix rows of sites, conversations, knowledge, webhooks and privacy. */
export const SITE_ROWS: Record<string, Row> = {
  'GET /api/v1/sites': {
    expected: keyed(signedIn(200)),
    call: (w, c) =>
      as(w, c, w.http.get(route('/api/v1/sites')).query({ organizationId: w.users.owner.organizationId })),
  },
  'POST /api/v1/sites': {
    expected: keyed(inOrgA(403, 201, 201)),
    call: (w, c) => {
      const body: CreateSiteRequest = {
        organizationId: w.users.owner.organizationId,
        name: `Created by ${c}`,
      };
      return as(w, c, w.http.post(route('/api/v1/sites'))).send(body);
    },
  },
  'GET /api/v1/sites/:siteId': {
    expected: keyed(inOrgA(200, 200, 200)),
    call: (w, c) => as(w, c, w.http.get(route('/api/v1/sites/{siteId}', { siteId: w.siteA.id }))),
  },
  'PATCH /api/v1/sites/:siteId': {
    expected: keyed(inOrgA(403, 200, 200)),
    call: (w, c) => {
      const body: UpdateSiteRequest = { name: 'x' };
      return as(w, c, w.http.patch(route('/api/v1/sites/{siteId}', { siteId: w.siteA.id }))).send(body);
    },
  },
  'DELETE /api/v1/sites/:siteId': {
    expected: keyed(inOrgA(403, 204, 204)),
    call: async (w, c) =>
      as(w, c, w.http.delete(route('/api/v1/sites/{siteId}', { siteId: (await freshSiteA(w)).id }))),
  },
  'POST /api/v1/sites/:siteId/rotate-key': {
    expected: keyed(inOrgA(403, 200, 200)),
    call: async (w, c) =>
      as(w, c, w.http.post(route('/api/v1/sites/{siteId}/rotate-key', { siteId: (await freshSiteA(w)).id }))),
  },
  'GET /api/v1/sites/:siteId/conversations': {
    expected: keyed(inOrgA(200, 200, 200)),
    call: (w, c) => as(w, c, w.http.get(conversationsOfA(w))),
  },
  'GET /api/v1/sites/:siteId/conversations/:conversationId': {
    expected: keyed(inOrgA(200, 200, 200)),
    call: (w, c) => as(w, c, w.http.get(`${conversationsOfA(w)}/${w.conversationId}`)),
  },
  'PATCH /api/v1/sites/:siteId/conversations/:conversationId': {
    expected: keyed(inOrgA(200, 200, 200)),
    call: (w, c) => {
      const body: UpdateConversationRequest = { phase: 'learning' };
      return as(w, c, w.http.patch(`${conversationsOfA(w)}/${w.conversationId}`)).send(body);
    },
  },
  'PUT /api/v1/sites/:siteId/conversations/:conversationId/seen': {
    expected: keyed(inOrgA(200, 200, 200)),
    call: (w, c) => {
      const body: ConversationSeenRequest = { seq: 1 };
      return as(w, c, w.http.put(`${conversationsOfA(w)}/${w.conversationId}/seen`)).send(body);
    },
  },
  'DELETE /api/v1/sites/:siteId/conversations/:conversationId': {
    expected: keyed(inOrgA(403, 204, 204)),
    call: async (w, c) => as(w, c, w.http.delete(`${conversationsOfA(w)}/${await freshConversationId(w)}`)),
  },
  'POST /api/v1/sites/:siteId/conversations/:conversationId/messages': {
    expected: keyed(inOrgA(201, 201, 201)),
    call: (w, c) => {
      const body: SendMessageRequest = { id: randomUUID(), body: `A reply from ${c}` };
      return as(w, c, w.http.post(`${conversationsOfA(w)}/${w.conversationId}/messages`)).send(body);
    },
  },
  'GET /api/v1/sites/:siteId/knowledge/sources': {
    expected: keyed(inOrgA(200, 200, 200)),
    call: (w, c) =>
      as(w, c, w.http.get(route('/api/v1/sites/{siteId}/knowledge/sources', { siteId: w.siteA.id }))),
  },
  'POST /api/v1/sites/:siteId/knowledge/sources': {
    expected: keyed(inOrgA(403, 201, 201)),
    call: (w, c) => {
      const body: CreateKnowledgeSourceRequest = { type: 'qa', question: `Asked by ${c}?`, answer: 'Yes.' };
      return as(
        w,
        c,
        w.http.post(route('/api/v1/sites/{siteId}/knowledge/sources', { siteId: w.siteA.id })),
      ).send(body);
    },
  },
  'GET /api/v1/sites/:siteId/knowledge/sources/:sourceId': {
    expected: keyed(inOrgA(200, 200, 200)),
    call: (w, c) =>
      as(
        w,
        c,
        w.http.get(
          route('/api/v1/sites/{siteId}/knowledge/sources/{sourceId}', {
            siteId: w.siteA.id,
            sourceId: w.sourceId,
          }),
        ),
      ),
  },
  'DELETE /api/v1/sites/:siteId/knowledge/sources/:sourceId': {
    expected: keyed(inOrgA(403, 204, 204)),
    call: async (w, c) =>
      as(
        w,
        c,
        w.http.delete(
          route('/api/v1/sites/{siteId}/knowledge/sources/{sourceId}', {
            siteId: w.siteA.id,
            sourceId: await freshSourceId(w),
          }),
        ),
      ),
  },
  'POST /api/v1/sites/:siteId/knowledge/sources/:sourceId/recrawl': {
    // A Q&A cannot be crawled: reaching the service at all shows the caller was let through.
    expected: keyed(inOrgA(403, 409, 409)),
    call: (w, c) =>
      as(
        w,
        c,
        w.http.post(
          route('/api/v1/sites/{siteId}/knowledge/sources/{sourceId}/recrawl', {
            siteId: w.siteA.id,
            sourceId: w.sourceId,
          }),
        ),
      ),
  },
  'POST /api/v1/sites/:siteId/knowledge/uploads': {
    expected: keyed(inOrgA(403, 201, 201)),
    call: (w, c) =>
      as(w, c, w.http.post(route('/api/v1/sites/{siteId}/knowledge/uploads', { siteId: w.siteA.id }))).attach(
        'file',
        Buffer.from(`Notes by ${c}`),
        {
          filename: 'notes.txt',
          contentType: 'text/plain',
        },
      ),
  },
  'POST /api/v1/sites/:siteId/knowledge/search': {
    expected: keyed(inOrgA(200, 200, 200)),
    call: (w, c) => {
      const body: KnowledgeSearchRequest = { query: 'opening hours' };
      return as(
        w,
        c,
        w.http.post(route('/api/v1/sites/{siteId}/knowledge/search', { siteId: w.siteA.id })),
      ).send(body);
    },
  },
  'GET /api/v1/sites/:siteId/knowledge/unanswered': {
    expected: keyed(inOrgA(200, 200, 200)),
    call: (w, c) =>
      as(w, c, w.http.get(route('/api/v1/sites/{siteId}/knowledge/unanswered', { siteId: w.siteA.id }))),
  },
  'DELETE /api/v1/sites/:siteId/knowledge/unanswered/:questionId': {
    expected: keyed(inOrgA(403, 204, 204)),
    call: async (w, c) =>
      as(
        w,
        c,
        w.http.delete(
          route('/api/v1/sites/{siteId}/knowledge/unanswered/{questionId}', {
            siteId: w.siteA.id,
            questionId: await freshQuestionId(w),
          }),
        ),
      ),
  },
  'GET /api/v1/sites/:siteId/webhooks': {
    expected: keyed(inOrgA(403, 200, 200)),
    call: (w, c) => as(w, c, w.http.get(route('/api/v1/sites/{siteId}/webhooks', { siteId: w.siteA.id }))),
  },
  'POST /api/v1/sites/:siteId/webhooks': {
    expected: keyed(inOrgA(403, 201, 201)),
    call: (w, c) => {
      const body: CreateWebhookRequest = {
        url: `https://hooks.example/${c}`,
        events: ['privacy.erased'],
        enabled: false,
      };
      return as(w, c, w.http.post(route('/api/v1/sites/{siteId}/webhooks', { siteId: w.siteA.id }))).send(
        body,
      );
    },
  },
  'GET /api/v1/sites/:siteId/webhooks/:webhookId': {
    expected: keyed(inOrgA(403, 200, 200)),
    call: (w, c) =>
      as(
        w,
        c,
        w.http.get(
          route('/api/v1/sites/{siteId}/webhooks/{webhookId}', {
            siteId: w.siteA.id,
            webhookId: w.webhookId,
          }),
        ),
      ),
  },
  'PATCH /api/v1/sites/:siteId/webhooks/:webhookId': {
    expected: keyed(inOrgA(403, 200, 200)),
    call: (w, c) => {
      const body: UpdateWebhookRequest = { events: ['lead.captured', 'privacy.erased'] };
      return as(
        w,
        c,
        w.http.patch(
          route('/api/v1/sites/{siteId}/webhooks/{webhookId}', {
            siteId: w.siteA.id,
            webhookId: w.webhookId,
          }),
        ),
      ).send(body);
    },
  },
  'DELETE /api/v1/sites/:siteId/webhooks/:webhookId': {
    expected: keyed(inOrgA(403, 204, 204)),
    call: async (w, c) =>
      as(
        w,
        c,
        w.http.delete(
          route('/api/v1/sites/{siteId}/webhooks/{webhookId}', {
            siteId: w.siteA.id,
            webhookId: await freshWebhookId(w),
          }),
        ),
      ),
  },
  'POST /api/v1/sites/:siteId/webhooks/:webhookId/rotate-secret': {
    expected: keyed(inOrgA(403, 200, 200)),
    call: (w, c) =>
      as(
        w,
        c,
        w.http.post(
          route('/api/v1/sites/{siteId}/webhooks/{webhookId}/rotate-secret', {
            siteId: w.siteA.id,
            webhookId: w.webhookId,
          }),
        ),
      ),
  },
  'GET /api/v1/sites/:siteId/webhooks/:webhookId/deliveries': {
    expected: keyed(inOrgA(403, 200, 200)),
    call: (w, c) =>
      as(
        w,
        c,
        w.http.get(
          route('/api/v1/sites/{siteId}/webhooks/{webhookId}/deliveries', {
            siteId: w.siteA.id,
            webhookId: w.webhookId,
          }),
        ),
      ),
  },
  'POST /api/v1/sites/:siteId/webhooks/:webhookId/test': {
    // The endpoint is disabled: a 409 WEBHOOK_DISABLED shows the caller was let through.
    expected: keyed(inOrgA(403, 409, 409)),
    call: (w, c) =>
      as(
        w,
        c,
        w.http.post(
          route('/api/v1/sites/{siteId}/webhooks/{webhookId}/test', {
            siteId: w.siteA.id,
            webhookId: w.webhookId,
          }),
        ),
      ),
  },
  'POST /api/v1/sites/:siteId/webhooks/:webhookId/deliveries/:deliveryId/redeliver': {
    // The endpoint is disabled: a 409 WEBHOOK_DISABLED shows the caller was let through.
    expected: keyed(inOrgA(403, 409, 409)),
    call: (w, c) =>
      as(
        w,
        c,
        w.http.post(
          route('/api/v1/sites/{siteId}/webhooks/{webhookId}/deliveries/{deliveryId}/redeliver', {
            siteId: w.siteA.id,
            webhookId: w.webhookId,
            deliveryId: randomUUID(),
          }),
        ),
      ),
  },
  'POST /api/v1/sites/:siteId/privacy/exports': {
    expected: keyed(inOrgA(403, 200, 200)),
    call: (w, c) => {
      const body: PrivacySubjectRequest = { visitorId: randomUUID() };
      return as(
        w,
        c,
        w.http.post(route('/api/v1/sites/{siteId}/privacy/exports', { siteId: w.siteA.id })),
      ).send(body);
    },
  },
  'POST /api/v1/sites/:siteId/privacy/erasures': {
    expected: keyed(inOrgA(403, 200, 200)),
    call: (w, c) => {
      const body: PrivacySubjectRequest = { email: uniqueEmail('subject') };
      return as(
        w,
        c,
        w.http.post(route('/api/v1/sites/{siteId}/privacy/erasures', { siteId: w.siteA.id })),
      ).send(body);
    },
  },
  'GET /api/v1/sites/:siteId/privacy/conversations/:conversationId/subject': {
    expected: keyed(inOrgA(403, 200, 200)),
    call: (w, c) =>
      as(
        w,
        c,
        w.http.get(
          route('/api/v1/sites/{siteId}/privacy/conversations/{conversationId}/subject', {
            siteId: w.siteA.id,
            conversationId: w.conversationId,
          }),
        ),
      ),
  },
  'GET /api/v1/sites/:siteId/privacy/export': {
    expected: keyed(inOrgA(403, 200, 200)),
    call: (w, c) =>
      as(w, c, w.http.get(route('/api/v1/sites/{siteId}/privacy/export', { siteId: w.siteA.id }))),
  },
  'GET /api/v1/sites/:siteId/privacy/requests': {
    expected: keyed(inOrgA(403, 200, 200)),
    call: (w, c) =>
      as(w, c, w.http.get(route('/api/v1/sites/{siteId}/privacy/requests', { siteId: w.siteA.id }))),
  },
};

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
  knowledgeOfA,
  signedIn,
  type Row,
  webhooksOfA,
} from './machinery';

/** The matrix rows of sites, conversations, knowledge, webhooks and privacy. */
export const SITE_ROWS: Record<string, Row> = {
  'GET /api/v1/sites': {
    expected: keyed(signedIn(200)),
    call: (w, c) =>
      as(w, c, w.http.get('/api/v1/sites').query({ organizationId: w.users.owner.organizationId })),
  },
  'POST /api/v1/sites': {
    expected: keyed(inOrgA(403, 201, 201)),
    call: (w, c) => {
      const body: CreateSiteRequest = {
        organizationId: w.users.owner.organizationId,
        name: `Created by ${c}`,
      };
      return as(w, c, w.http.post('/api/v1/sites')).send(body);
    },
  },
  'GET /api/v1/sites/:siteId': {
    expected: keyed(inOrgA(200, 200, 200)),
    call: (w, c) => as(w, c, w.http.get(`/api/v1/sites/${w.siteA.id}`)),
  },
  'PATCH /api/v1/sites/:siteId': {
    expected: keyed(inOrgA(403, 200, 200)),
    call: (w, c) => {
      const body: UpdateSiteRequest = { name: 'x' };
      return as(w, c, w.http.patch(`/api/v1/sites/${w.siteA.id}`)).send(body);
    },
  },
  'DELETE /api/v1/sites/:siteId': {
    expected: keyed(inOrgA(403, 204, 204)),
    call: async (w, c) => as(w, c, w.http.delete(`/api/v1/sites/${(await freshSiteA(w)).id}`)),
  },
  'POST /api/v1/sites/:siteId/rotate-key': {
    expected: keyed(inOrgA(403, 200, 200)),
    call: async (w, c) => as(w, c, w.http.post(`/api/v1/sites/${(await freshSiteA(w)).id}/rotate-key`)),
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
    call: (w, c) => as(w, c, w.http.get(knowledgeOfA(w, 'sources'))),
  },
  'POST /api/v1/sites/:siteId/knowledge/sources': {
    expected: keyed(inOrgA(403, 201, 201)),
    call: (w, c) => {
      const body: CreateKnowledgeSourceRequest = { type: 'qa', question: `Asked by ${c}?`, answer: 'Yes.' };
      return as(w, c, w.http.post(knowledgeOfA(w, 'sources'))).send(body);
    },
  },
  'GET /api/v1/sites/:siteId/knowledge/sources/:sourceId': {
    expected: keyed(inOrgA(200, 200, 200)),
    call: (w, c) => as(w, c, w.http.get(knowledgeOfA(w, `sources/${w.sourceId}`))),
  },
  'DELETE /api/v1/sites/:siteId/knowledge/sources/:sourceId': {
    expected: keyed(inOrgA(403, 204, 204)),
    call: async (w, c) => as(w, c, w.http.delete(knowledgeOfA(w, `sources/${await freshSourceId(w)}`))),
  },
  'POST /api/v1/sites/:siteId/knowledge/sources/:sourceId/recrawl': {
    // A Q&A cannot be crawled: reaching the service at all shows the caller was let through.
    expected: keyed(inOrgA(403, 409, 409)),
    call: (w, c) => as(w, c, w.http.post(knowledgeOfA(w, `sources/${w.sourceId}/recrawl`))),
  },
  'POST /api/v1/sites/:siteId/knowledge/uploads': {
    expected: keyed(inOrgA(403, 201, 201)),
    call: (w, c) =>
      as(w, c, w.http.post(knowledgeOfA(w, 'uploads'))).attach('file', Buffer.from(`Notes by ${c}`), {
        filename: 'notes.txt',
        contentType: 'text/plain',
      }),
  },
  'POST /api/v1/sites/:siteId/knowledge/search': {
    expected: keyed(inOrgA(200, 200, 200)),
    call: (w, c) => {
      const body: KnowledgeSearchRequest = { query: 'opening hours' };
      return as(w, c, w.http.post(knowledgeOfA(w, 'search'))).send(body);
    },
  },
  'GET /api/v1/sites/:siteId/knowledge/unanswered': {
    expected: keyed(inOrgA(200, 200, 200)),
    call: (w, c) => as(w, c, w.http.get(knowledgeOfA(w, 'unanswered'))),
  },
  'DELETE /api/v1/sites/:siteId/knowledge/unanswered/:questionId': {
    expected: keyed(inOrgA(403, 204, 204)),
    call: async (w, c) => as(w, c, w.http.delete(knowledgeOfA(w, `unanswered/${await freshQuestionId(w)}`))),
  },
  'GET /api/v1/sites/:siteId/webhooks': {
    expected: keyed(inOrgA(403, 200, 200)),
    call: (w, c) => as(w, c, w.http.get(webhooksOfA(w))),
  },
  'POST /api/v1/sites/:siteId/webhooks': {
    expected: keyed(inOrgA(403, 201, 201)),
    call: (w, c) => {
      const body: CreateWebhookRequest = {
        url: `https://hooks.example/${c}`,
        events: ['privacy.erased'],
        enabled: false,
      };
      return as(w, c, w.http.post(webhooksOfA(w))).send(body);
    },
  },
  'GET /api/v1/sites/:siteId/webhooks/:webhookId': {
    expected: keyed(inOrgA(403, 200, 200)),
    call: (w, c) => as(w, c, w.http.get(webhooksOfA(w, `/${w.webhookId}`))),
  },
  'PATCH /api/v1/sites/:siteId/webhooks/:webhookId': {
    expected: keyed(inOrgA(403, 200, 200)),
    call: (w, c) => {
      const body: UpdateWebhookRequest = { events: ['lead.captured', 'privacy.erased'] };
      return as(w, c, w.http.patch(webhooksOfA(w, `/${w.webhookId}`))).send(body);
    },
  },
  'DELETE /api/v1/sites/:siteId/webhooks/:webhookId': {
    expected: keyed(inOrgA(403, 204, 204)),
    call: async (w, c) => as(w, c, w.http.delete(webhooksOfA(w, `/${await freshWebhookId(w)}`))),
  },
  'POST /api/v1/sites/:siteId/webhooks/:webhookId/rotate-secret': {
    expected: keyed(inOrgA(403, 200, 200)),
    call: (w, c) => as(w, c, w.http.post(webhooksOfA(w, `/${w.webhookId}/rotate-secret`))),
  },
  'GET /api/v1/sites/:siteId/webhooks/:webhookId/deliveries': {
    expected: keyed(inOrgA(403, 200, 200)),
    call: (w, c) => as(w, c, w.http.get(webhooksOfA(w, `/${w.webhookId}/deliveries`))),
  },
  'POST /api/v1/sites/:siteId/webhooks/:webhookId/test': {
    // The endpoint is disabled: a 409 WEBHOOK_DISABLED shows the caller was let through.
    expected: keyed(inOrgA(403, 409, 409)),
    call: (w, c) => as(w, c, w.http.post(webhooksOfA(w, `/${w.webhookId}/test`))),
  },
  'POST /api/v1/sites/:siteId/webhooks/:webhookId/deliveries/:deliveryId/redeliver': {
    // The endpoint is disabled: a 409 WEBHOOK_DISABLED shows the caller was let through.
    expected: keyed(inOrgA(403, 409, 409)),
    call: (w, c) =>
      as(w, c, w.http.post(webhooksOfA(w, `/${w.webhookId}/deliveries/${randomUUID()}/redeliver`))),
  },
  'POST /api/v1/sites/:siteId/privacy/exports': {
    expected: keyed(inOrgA(403, 200, 200)),
    call: (w, c) => {
      const body: PrivacySubjectRequest = { visitorId: randomUUID() };
      return as(w, c, w.http.post(`/api/v1/sites/${w.siteA.id}/privacy/exports`)).send(body);
    },
  },
  'POST /api/v1/sites/:siteId/privacy/erasures': {
    expected: keyed(inOrgA(403, 200, 200)),
    call: (w, c) => {
      const body: PrivacySubjectRequest = { email: uniqueEmail('subject') };
      return as(w, c, w.http.post(`/api/v1/sites/${w.siteA.id}/privacy/erasures`)).send(body);
    },
  },
  'GET /api/v1/sites/:siteId/privacy/conversations/:conversationId/subject': {
    expected: keyed(inOrgA(403, 200, 200)),
    call: (w, c) =>
      as(w, c, w.http.get(`/api/v1/sites/${w.siteA.id}/privacy/conversations/${w.conversationId}/subject`)),
  },
  'GET /api/v1/sites/:siteId/privacy/export': {
    expected: keyed(inOrgA(403, 200, 200)),
    call: (w, c) => as(w, c, w.http.get(`/api/v1/sites/${w.siteA.id}/privacy/export`)),
  },
  'GET /api/v1/sites/:siteId/privacy/requests': {
    expected: keyed(inOrgA(403, 200, 200)),
    call: (w, c) => as(w, c, w.http.get(`/api/v1/sites/${w.siteA.id}/privacy/requests`)),
  },
};

import { randomUUID } from 'node:crypto';

import type {
  SendMessageRequest,
  WidgetContactRequest,
  WidgetSeenRequest,
  WidgetSessionRequest,
  WidgetSessionResponse,
} from '@cloop/contracts';

import { uniqueEmail } from '../factories';
import {
  PREFLIGHT_METHOD,
  SITE_A_ORIGIN,
  WIDGET_PATHS,
  as,
  asWidget,
  everyone,
  type Row,
  widgetHeaders,
} from './machinery';
import { route } from '@cloop/client/route';

/** The matrix rows of the widget API and its preflights. */
export const WIDGET_ROWS: Record<string, Row> = {
  'GET /api/v1/widget/config': {
    expected: everyone(200),
    call: (w, c) => asWidget(w, c, w.http.get(route('/api/v1/widget/config'))),
  },
  'POST /api/v1/widget/session': {
    expected: everyone(200),
    call: (w, c) => {
      const body: WidgetSessionRequest = { entryUrl: `${SITE_A_ORIGIN}/`, locale: 'en' };
      return asWidget(w, c, w.http.post(route('/api/v1/widget/session'))).send(body);
    },
  },
  'GET /api/v1/widget/unread': {
    expected: everyone(200),
    call: (w, c) => asWidget(w, c, w.http.get(route('/api/v1/widget/unread'))),
  },
  'GET /api/v1/widget/messages': {
    expected: everyone(200),
    call: (w, c) => asWidget(w, c, w.http.get(route('/api/v1/widget/messages')).query({ after: 0 })),
  },
  'POST /api/v1/widget/messages': {
    expected: everyone(201),
    call: (w, c) => {
      const body: SendMessageRequest = { id: randomUUID(), body: `A question from ${c}'s browser` };
      return asWidget(w, c, w.http.post(route('/api/v1/widget/messages'))).send(body);
    },
  },
  'PUT /api/v1/widget/contact': {
    expected: everyone(200),
    call: (w, c) => {
      const body: WidgetContactRequest = { email: uniqueEmail('visitor') };
      return asWidget(w, c, w.http.put(route('/api/v1/widget/contact'))).send(body);
    },
  },
  'PUT /api/v1/widget/seen': {
    expected: everyone(204),
    call: async (w, c) => {
      // The visitor's own conversation; the caller's bearer token changes nothing.
      const visitor = widgetHeaders(w);
      const session: WidgetSessionRequest = { entryUrl: `${SITE_A_ORIGIN}/` };
      const opened = await w.http
        .post(route('/api/v1/widget/session'))
        .set(visitor)
        .send(session)
        .expect(200);
      const body: WidgetSeenRequest = {
        conversationId: (opened.body as WidgetSessionResponse).conversation.id,
        seq: 0,
      };
      return as(w, c, w.http.put(route('/api/v1/widget/seen')))
        .set(visitor)
        .send(body);
    },
  },
  'GET /api/v1/widget/privacy/export': {
    expected: everyone(200),
    call: (w, c) => asWidget(w, c, w.http.get(route('/api/v1/widget/privacy/export'))),
  },
  'DELETE /api/v1/widget/privacy': {
    expected: everyone(200),
    call: (w, c) => asWidget(w, c, w.http.delete(route('/api/v1/widget/privacy'))),
  },
  ...Object.fromEntries(
    WIDGET_PATHS.map((path): [string, Row] => [
      `OPTIONS /api/v1/widget/${path}`,
      {
        expected: everyone(204),
        call: (w, c) =>
          as(w, c, w.http.options(`/api/v1/widget/${path}`)).set({
            Origin: SITE_A_ORIGIN,
            'Access-Control-Request-Method': PREFLIGHT_METHOD[path],
            'Access-Control-Request-Headers': 'content-type, x-cloop-site-key, x-cloop-visitor',
          }),
      },
    ]),
  ),
};

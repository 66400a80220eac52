import type {
  CreateApiKeyRequest,
  InviteMemberRequest,
  RenameOrganizationRequest,
  UpdateMemberRequest,
  UpdateSsoSettingsRequest,
} from '@cloop/contracts';

import { createApiKey, uniqueEmail } from '../factories';
import { as, freshInvitationId, freshMemberOfA, inOrgA, orgA, type Row } from './machinery';

/** The matrix rows of organizations, members, API keys and audit. */
export const ORGANIZATION_ROWS: Record<string, Row> = {
  'PATCH /api/v1/organizations/:orgId': {
    expected: inOrgA(403, 403, 200),
    call: (w, c) => {
      const body: RenameOrganizationRequest = { name: 'Organization A' };
      return as(w, c, w.http.patch(orgA(w))).send(body);
    },
  },
  'GET /api/v1/organizations/:orgId/members': {
    expected: inOrgA(200, 200, 200),
    call: (w, c) => as(w, c, w.http.get(`${orgA(w)}/members`)),
  },
  'POST /api/v1/organizations/:orgId/members': {
    expected: inOrgA(403, 403, 201),
    call: (w, c) => {
      const body: InviteMemberRequest = { email: uniqueEmail('invitee'), role: 'member' };
      return as(w, c, w.http.post(`${orgA(w)}/members`)).send(body);
    },
  },
  'PATCH /api/v1/organizations/:orgId/members/:userId': {
    expected: inOrgA(403, 403, 200),
    call: (w, c) => {
      const body: UpdateMemberRequest = { role: 'member' };
      return as(w, c, w.http.patch(`${orgA(w)}/members/${w.users.member.userId}`)).send(body);
    },
  },
  'DELETE /api/v1/organizations/:orgId/members/:userId': {
    expected: inOrgA(403, 403, 204),
    call: async (w, c) => as(w, c, w.http.delete(`${orgA(w)}/members/${(await freshMemberOfA(w)).userId}`)),
  },
  'GET /api/v1/organizations/:orgId/invitations': {
    expected: inOrgA(200, 200, 200),
    call: (w, c) => as(w, c, w.http.get(`${orgA(w)}/invitations`)),
  },
  'DELETE /api/v1/organizations/:orgId/invitations/:invitationId': {
    expected: inOrgA(403, 403, 204),
    call: async (w, c) => as(w, c, w.http.delete(`${orgA(w)}/invitations/${await freshInvitationId(w)}`)),
  },
  'GET /api/v1/organizations/:orgId/api-keys': {
    expected: inOrgA(403, 200, 200),
    call: (w, c) => as(w, c, w.http.get(`${orgA(w)}/api-keys`)),
  },
  'POST /api/v1/organizations/:orgId/api-keys': {
    expected: inOrgA(403, 201, 201),
    call: (w, c) => {
      const body: CreateApiKeyRequest = { name: `Made by ${c}`, scopes: ['sites:read'] };
      return as(w, c, w.http.post(`${orgA(w)}/api-keys`)).send(body);
    },
  },
  'DELETE /api/v1/organizations/:orgId/api-keys/:apiKeyId': {
    expected: inOrgA(403, 204, 204),
    call: async (w, c) => {
      const { apiKey } = await createApiKey(w.http, w.users.owner, ['sites:read'], { name: 'Throwaway' });
      return as(w, c, w.http.delete(`${orgA(w)}/api-keys/${apiKey.id}`));
    },
  },
  'GET /api/v1/organizations/:orgId/sso': {
    expected: inOrgA(403, 403, 200),
    call: (w, c) => as(w, c, w.http.get(`${orgA(w)}/sso`)),
  },
  'PUT /api/v1/organizations/:orgId/sso': {
    expected: inOrgA(403, 403, 200),
    call: (w, c) => {
      const body: UpdateSsoSettingsRequest = {
        enabled: false,
        issuer: 'https://idp.example.com',
        clientId: `client-of-${c}`,
        clientSecret: 'secret',
        allowedDomains: [],
        newUserRole: 'member',
        ssoOnly: false,
      };
      return as(w, c, w.http.put(`${orgA(w)}/sso`)).send(body);
    },
  },
  'GET /api/v1/organizations/:orgId/audit-events': {
    expected: inOrgA(403, 200, 200),
    call: (w, c) => as(w, c, w.http.get(`${orgA(w)}/audit-events`)),
  },
};

import { randomUUID } from 'node:crypto';

import type { AuthResponse, CreateSiteRequest, MeResponse, Site } from '@cloop/contracts';
import type TestAgent from 'supertest/lib/agent';

export const PASSWORD = 'correct horse battery staple';

let sequence = 0;

export function uniqueEmail(label = 'user'): string {
  sequence += 1;
  return `${label}-${sequence}-${randomUUID().slice(0, 8)}@example.test`;
}

export interface SignedUpUser {
  email: string;
  userId: string;
  organizationId: string;
  accessToken: string;
  refreshToken: string;
  auth: { Authorization: string };
}

/** A new account with its own organization (the user owns it). */
export async function signUp(
  http: TestAgent,
  overrides: { email?: string; name?: string } = {},
): Promise<SignedUpUser> {
  const email = overrides.email ?? uniqueEmail();
  const response = await http
    .post('/api/v1/auth/signup')
    .send({ email, password: PASSWORD, name: overrides.name ?? 'Test User' })
    .expect(201);
  const body = response.body as AuthResponse;
  const auth = { Authorization: `Bearer ${body.accessToken}` };
  const me = (await http.get('/api/v1/auth/me').set(auth).expect(200)).body as MeResponse;
  const own = me.organizations.find((organization) => organization.role === 'owner');
  if (!own) throw new Error('signup created no owned organization');
  return {
    email,
    userId: body.user.id,
    organizationId: own.id,
    accessToken: body.accessToken,
    refreshToken: body.refreshToken,
    auth,
  };
}

export async function createSite(
  http: TestAgent,
  owner: SignedUpUser,
  overrides: Partial<CreateSiteRequest> = {},
): Promise<Site> {
  const response = await http
    .post('/api/v1/sites')
    .set(owner.auth)
    .send({ organizationId: owner.organizationId, name: 'Example shop', ...overrides })
    .expect(201);
  return response.body as Site;
}

/** Adds an existing user to the owner's organization with a role. */
export async function addMember(
  http: TestAgent,
  owner: SignedUpUser,
  member: SignedUpUser,
  role: 'member' | 'admin' | 'owner',
): Promise<void> {
  await http
    .post(`/api/v1/organizations/${owner.organizationId}/members`)
    .set(owner.auth)
    .send({ email: member.email, role })
    .expect(201);
}

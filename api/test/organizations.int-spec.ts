import type {
  AuditEvent,
  AuthResponse,
  ErrorResponse,
  Invitation,
  InviteMemberRequest,
  InviteMemberResponse,
  Member,
  MeResponse,
  Organization,
  Page,
  RenameOrganizationRequest,
  Role,
  UpdateMemberRequest,
} from '@cloop/contracts';

import { addMember, PASSWORD, signUp, type SignedUpUser, uniqueEmail } from './support/factories';
import { startTestApp, type TestApp } from './support/test-app';
import { route } from '@cloop/client/route';

describe('organizations: members and invitations', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const membersPath = (owner: SignedUpUser) =>
    route('/api/v1/organizations/{orgId}/members', { orgId: owner.organizationId });
  const invitationsPath = (owner: SignedUpUser) =>
    route('/api/v1/organizations/{orgId}/invitations', { orgId: owner.organizationId });

  async function members(owner: SignedUpUser, as: SignedUpUser = owner): Promise<Member[]> {
    const response = await t.http.get(membersPath(owner)).set(as.auth).expect(200);
    return (response.body as Page<Member>).items;
  }

  async function roleOf(owner: SignedUpUser, userId: string): Promise<Role | undefined> {
    return (await members(owner)).find((member) => member.userId === userId)?.role;
  }

  async function invite(owner: SignedUpUser, request: InviteMemberRequest, status = 201) {
    return t.http.post(membersPath(owner)).set(owner.auth).send(request).expect(status);
  }

  async function pendingInvitations(owner: SignedUpUser): Promise<Invitation[]> {
    const response = await t.http.get(invitationsPath(owner)).set(owner.auth).expect(200);
    return (response.body as { items: Invitation[] }).items;
  }

  const membership = (id: string, role: Role) => ({ id, name: expect.any(String) as string, role });

  async function organizationsOf(user: {
    auth: { Authorization: string };
  }): Promise<MeResponse['organizations']> {
    return ((await t.http.get(route('/api/v1/auth/me')).set(user.auth).expect(200)).body as MeResponse)
      .organizations;
  }

  function changeRole(owner: SignedUpUser, as: SignedUpUser, userId: string, role: Role) {
    const body: UpdateMemberRequest = { role };
    return t.http
      .patch(`${membersPath(owner)}/${userId}`)
      .set(as.auth)
      .send(body);
  }

  function remove(owner: SignedUpUser, as: SignedUpUser, userId: string) {
    return t.http.delete(`${membersPath(owner)}/${userId}`).set(as.auth);
  }

  describe('listing members', () => {
    it('walks every member exactly once, one per page, by following nextCursor', async () => {
      const owner = await signUp(t.http);
      const others = [await signUp(t.http), await signUp(t.http), await signUp(t.http)];
      for (const other of others) await addMember(t.http, owner, other, 'member');

      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const query: Record<string, string | number> = cursor === null ? { limit: 1 } : { limit: 1, cursor };
        const page = (await t.http.get(membersPath(owner)).query(query).set(owner.auth).expect(200))
          .body as Page<Member>;
        expect(page.items).toHaveLength(1);
        seen.push(...page.items.map((member) => member.userId));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor !== null && pages <= 10);

      expect(pages).toBe(4);
      // Members who joined within the same millisecond may come in either order; each comes once.
      expect([...seen].sort()).toEqual([owner.userId, ...others.map((other) => other.userId)].sort());
    });

    it.each([
      'not-a-cursor',
      Buffer.from('{"a":1}').toString('base64url'),
      Buffer.from('["x","y"]').toString('base64url'),
    ])('refuses the cursor %s with 400 VALIDATION_FAILED', async (cursor) => {
      const owner = await signUp(t.http);
      const response = await t.http.get(membersPath(owner)).query({ cursor }).set(owner.auth).expect(400);
      expect((response.body as ErrorResponse).code).toBe('VALIDATION_FAILED');
    });
  });

  describe('inviting', () => {
    it('gives an existing user a pending invitation; once accepted they see the organization with the role', async () => {
      const owner = await signUp(t.http);
      const grace = await signUp(t.http);

      const response = await invite(owner, { email: grace.email.toUpperCase(), role: 'admin' });

      expect(response.body as InviteMemberResponse).toEqual({
        status: 'pending',
        invitation: {
          id: expect.any(String) as string,
          email: grace.email,
          role: 'admin',
          invitedAt: expect.any(String) as string,
          expiresAt: expect.any(String) as string,
        },
      });
      expect(await organizationsOf(grace)).toHaveLength(1);
      await addMember(t.http, owner, grace, 'admin');
      expect(await organizationsOf(grace)).toContainEqual(membership(owner.organizationId, 'admin'));
    });

    it('refuses to invite someone who is already a member, and keeps their role', async () => {
      const owner = await signUp(t.http);
      const grace = await signUp(t.http);
      await addMember(t.http, owner, grace, 'member');

      const response = await invite(owner, { email: grace.email, role: 'owner' }, 409);

      expect((response.body as ErrorResponse).code).toBe('ALREADY_MEMBER');
      expect(await roleOf(owner, grace.userId)).toBe('member');
    });

    it('invites an unknown email, which joins with the invited role when it signs up through the link', async () => {
      const owner = await signUp(t.http);
      const email = uniqueEmail('invitee');

      const response = await invite(owner, { email, role: 'admin' });
      const invited = response.body as InviteMemberResponse;
      expect(invited).toMatchObject({ status: 'invited', invitation: { email, role: 'admin' } });
      expect((await pendingInvitations(owner)).map((invitation) => invitation.email)).toEqual([email]);
      if (invited.status !== 'invited' || invited.link === null)
        throw new Error('expected a link (e-mail is off)');

      // Signing up without the link joins nothing: the address is not proven.
      const withoutLink = await signUp(t.http, { email });
      expect(await organizationsOf(withoutLink)).toHaveLength(1);

      const again = uniqueEmail('invitee');
      const second = (await invite(owner, { email: again, role: 'admin' })).body as InviteMemberResponse;
      if (second.status !== 'invited' || second.link === null) throw new Error('expected a link');
      const signedUp = await t.http
        .post(route('/api/v1/auth/signup'))
        .send({
          email: again,
          password: PASSWORD,
          name: 'Newcomer',
          invitationToken: second.link.split('#token=')[1],
        })
        .expect(201);
      const newcomer = { auth: { Authorization: `Bearer ${(signedUp.body as AuthResponse).accessToken}` } };

      const organizations = await organizationsOf(newcomer);
      expect(organizations).toHaveLength(2);
      expect(organizations).toContainEqual(membership(owner.organizationId, 'admin'));
      expect((await pendingInvitations(owner)).map((invitation) => invitation.email)).toEqual([email]);
    });

    it('lets anyone sign up while ALLOW_SIGNUP is left unset', async () => {
      // The closed server (ALLOW_SIGNUP=false) refuses every signup, so no owner can be made there
      // through the API to send an invitation; auth.int-spec.ts covers its refusal.
      await t.http
        .post(route('/api/v1/auth/signup'))
        .send({ email: uniqueEmail('stranger'), password: PASSWORD, name: 'Stranger' })
        .expect(201);
    });

    it.each<[string, object]>([
      ['an invalid role', { role: 'superuser' }],
      ['an invalid email', { email: 'not-an-email' }],
      ['an unknown field', { note: 'hello' }],
    ])('refuses %s with 400 and invites nobody', async (_, change) => {
      const owner = await signUp(t.http);
      const response = await t.http
        .post(membersPath(owner))
        .set(owner.auth)
        .send({ email: uniqueEmail('invitee'), role: 'member', ...change })
        .expect(400);
      expect((response.body as ErrorResponse).code).toBe('VALIDATION_FAILED');
      expect(await pendingInvitations(owner)).toEqual([]);
      expect(await members(owner)).toHaveLength(1);
    });
  });

  describe('revoking invitations', () => {
    it('withdraws a pending invitation, so signing up no longer joins the organization', async () => {
      const owner = await signUp(t.http);
      const email = uniqueEmail('invitee');
      const { invitation } = (await invite(owner, { email, role: 'member' })).body as {
        invitation: Invitation;
      };

      await t.http
        .delete(`${invitationsPath(owner)}/${invitation.id}`)
        .set(owner.auth)
        .expect(204);

      expect(await pendingInvitations(owner)).toEqual([]);
      const newcomer = await signUp(t.http, { email });
      expect((await organizationsOf(newcomer)).map((organization) => organization.id)).toEqual([
        newcomer.organizationId,
      ]);
    });

    it('answers 404 INVITATION_NOT_FOUND for an unknown invitation or one of another organization', async () => {
      const owner = await signUp(t.http);
      const stranger = await signUp(t.http);
      const { invitation } = (await invite(stranger, { email: uniqueEmail(), role: 'member' })).body as {
        invitation: Invitation;
      };

      for (const id of ['00000000-0000-4000-8000-000000000000', invitation.id]) {
        const response = await t.http
          .delete(`${invitationsPath(owner)}/${id}`)
          .set(owner.auth)
          .expect(404);
        expect((response.body as ErrorResponse).code).toBe('INVITATION_NOT_FOUND');
      }
      expect((await pendingInvitations(stranger)).map((item) => item.id)).toEqual([invitation.id]);
    });
  });

  describe('roles and leaving', () => {
    it("lets the owner change a member's role", async () => {
      const owner = await signUp(t.http);
      const grace = await signUp(t.http);
      await addMember(t.http, owner, grace, 'member');

      const response = await changeRole(owner, owner, grace.userId, 'admin').expect(200);

      expect((response.body as Member).role).toBe('admin');
      expect(await roleOf(owner, grace.userId)).toBe('admin');
    });

    it('keeps the last owner: no demotion, no removal, no leaving (409 LAST_OWNER)', async () => {
      const owner = await signUp(t.http);

      for (const response of [
        await changeRole(owner, owner, owner.userId, 'admin').expect(409),
        await remove(owner, owner, owner.userId).expect(409),
      ]) {
        expect((response.body as ErrorResponse).code).toBe('LAST_OWNER');
      }
      expect(await roleOf(owner, owner.userId)).toBe('owner');
    });

    it('lets an owner step down and then leave once there is a second owner', async () => {
      const owner = await signUp(t.http);
      const successor = await signUp(t.http);
      await addMember(t.http, owner, successor, 'owner');

      await changeRole(owner, owner, owner.userId, 'admin').expect(200);
      expect(await roleOf(owner, owner.userId)).toBe('admin');
      await changeRole(owner, successor, owner.userId, 'owner').expect(200);

      await remove(owner, owner, owner.userId).expect(204);
      expect((await members(owner, successor)).map((member) => member.userId)).toEqual([successor.userId]);
      expect((await organizationsOf(owner)).map((organization) => organization.id)).not.toContain(
        owner.organizationId,
      );
    });

    it('lets the owner remove another owner while one remains', async () => {
      const owner = await signUp(t.http);
      const coOwner = await signUp(t.http);
      await addMember(t.http, owner, coOwner, 'owner');

      await remove(owner, owner, coOwner.userId).expect(204);

      expect((await members(owner)).map((member) => member.userId)).toEqual([owner.userId]);
    });

    it('lets a member leave but not remove anyone else (403 FORBIDDEN)', async () => {
      const owner = await signUp(t.http);
      const grace = await signUp(t.http);
      const alan = await signUp(t.http);
      await addMember(t.http, owner, grace, 'member');
      await addMember(t.http, owner, alan, 'member');

      const refused = await remove(owner, grace, alan.userId).expect(403);
      expect((refused.body as ErrorResponse).code).toBe('FORBIDDEN');
      expect(await roleOf(owner, alan.userId)).toBe('member');

      await remove(owner, grace, grace.userId).expect(204);
      expect(await roleOf(owner, grace.userId)).toBeUndefined();
      await t.http.get(membersPath(owner)).set(grace.auth).expect(404);
    });

    it.each<[string, object]>([
      ['an invalid role', { role: 'superuser' }],
      ['a missing role', {}],
      ['an unknown field', { role: 'admin', title: 'boss' }],
    ])('refuses a role change with %s with 400 and changes nothing', async (_, body) => {
      const owner = await signUp(t.http);
      const grace = await signUp(t.http);
      await addMember(t.http, owner, grace, 'member');

      const response = await t.http
        .patch(`${membersPath(owner)}/${grace.userId}`)
        .set(owner.auth)
        .send(body)
        .expect(400);

      expect((response.body as ErrorResponse).code).toBe('VALIDATION_FAILED');
      expect(await roleOf(owner, grace.userId)).toBe('member');
    });

    it('refuses a userId that is not a uuid with 400', async () => {
      const owner = await signUp(t.http);
      await changeRole(owner, owner, 'not-a-uuid', 'admin').expect(400);
      await remove(owner, owner, 'not-a-uuid').expect(400);
      expect(await roleOf(owner, owner.userId)).toBe('owner');
    });
  });

  describe('renaming', () => {
    const rename = (owner: SignedUpUser, as: SignedUpUser, name: unknown) =>
      t.http
        .patch(route('/api/v1/organizations/{orgId}', { orgId: owner.organizationId }))
        .set(as.auth)
        .send({ name });

    it('lets an owner rename the organization, which every member then sees, and records it', async () => {
      const owner = await signUp(t.http);
      const grace = await signUp(t.http);
      await addMember(t.http, owner, grace, 'member');
      const body: RenameOrganizationRequest = { name: '  Acme Oy  ' };

      const response = await rename(owner, owner, body.name).expect(200);

      expect(response.body as Organization).toEqual({ id: owner.organizationId, name: 'Acme Oy' });
      const seen = (await organizationsOf(grace)).find((o) => o.id === owner.organizationId);
      expect(seen?.name).toBe('Acme Oy');
      const trail = await t.http
        .get(route('/api/v1/organizations/{orgId}/audit-events', { orgId: owner.organizationId }))
        .set(owner.auth)
        .expect(200);
      const event = (trail.body as Page<AuditEvent>).items.find((e) => e.action === 'organization.renamed');
      expect(event).toMatchObject({ actor: { userId: owner.userId }, details: {} });
    });

    it('refuses admins and members with 403 and keeps the name', async () => {
      const owner = await signUp(t.http);
      const admin = await signUp(t.http);
      await addMember(t.http, owner, admin, 'admin');
      const before = (await organizationsOf(owner))[0]?.name;

      const response = await rename(owner, admin, 'Hijacked').expect(403);

      expect((response.body as ErrorResponse).code).toBe('FORBIDDEN');
      expect((await organizationsOf(owner))[0]?.name).toBe(before);
    });

    it.each([[''], ['   '], ['x'.repeat(101)], [42], [null]])(
      'refuses the name %j with 400 and keeps the old one',
      async (name) => {
        const owner = await signUp(t.http);
        const before = (await organizationsOf(owner))[0]?.name;

        const response = await rename(owner, owner, name).expect(400);

        expect((response.body as ErrorResponse).code).toBe('VALIDATION_FAILED');
        expect((await organizationsOf(owner))[0]?.name).toBe(before);
      },
    );
  });
});

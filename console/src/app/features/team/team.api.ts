import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  AcceptInvitationLinkRequest,
  Invitation,
  InviteMemberRequest,
  InviteMemberResponse,
  MailLocale,
  Member,
  Organization,
  OrganizationMembership,
  Page,
  PendingInvitation,
  RenameOrganizationRequest,
  Role,
} from '@cloop/contracts';
import { firstValueFrom } from 'rxjs';

import { route } from '@cloop/client/route';

@Injectable({ providedIn: 'root' })
export class TeamApi {
  private readonly http = inject(HttpClient);

  rename(organizationId: string, name: string): Promise<Organization> {
    const body: RenameOrganizationRequest = { name };
    return firstValueFrom(
      this.http.patch<Organization>(route('/api/v1/organizations/{orgId}', { orgId: organizationId }), body),
    );
  }

  members(organizationId: string): Promise<Page<Member>> {
    return firstValueFrom(
      this.http.get<Page<Member>>(route('/api/v1/organizations/{orgId}/members', { orgId: organizationId }), {
        params: { limit: 100 },
      }),
    );
  }

  invitations(organizationId: string): Promise<Page<Invitation>> {
    return firstValueFrom(
      this.http.get<Page<Invitation>>(
        route('/api/v1/organizations/{orgId}/invitations', { orgId: organizationId }),
        { params: { limit: 100 } },
      ),
    );
  }

  invite(
    organizationId: string,
    email: string,
    role: Role,
    locale: MailLocale,
  ): Promise<InviteMemberResponse> {
    const body: InviteMemberRequest = { email, role, locale };
    return firstValueFrom(
      this.http.post<InviteMemberResponse>(
        route('/api/v1/organizations/{orgId}/members', { orgId: organizationId }),
        body,
      ),
    );
  }

  /** Invitations to the signed-in user's own address. */
  myInvitations(): Promise<PendingInvitation[]> {
    return firstValueFrom(this.http.get<PendingInvitation[]>(route('/api/v1/invitations')));
  }

  accept(invitationId: string): Promise<OrganizationMembership> {
    return firstValueFrom(
      this.http.post<OrganizationMembership>(
        route('/api/v1/invitations/{invitationId}/accept', { invitationId }),
        {},
      ),
    );
  }

  decline(invitationId: string): Promise<unknown> {
    return firstValueFrom(
      this.http.post(route('/api/v1/invitations/{invitationId}/decline', { invitationId }), {}),
    );
  }

  acceptLink(token: string): Promise<OrganizationMembership> {
    const body: AcceptInvitationLinkRequest = { token };
    return firstValueFrom(
      this.http.post<OrganizationMembership>(route('/api/v1/invitations/accept-link'), body),
    );
  }

  changeRole(organizationId: string, userId: string, role: Role): Promise<Member> {
    return firstValueFrom(
      this.http.patch<Member>(
        route('/api/v1/organizations/{orgId}/members/{userId}', { orgId: organizationId, userId }),
        {
          role,
        },
      ),
    );
  }

  remove(organizationId: string, userId: string): Promise<unknown> {
    return firstValueFrom(
      this.http.delete(
        route('/api/v1/organizations/{orgId}/members/{userId}', { orgId: organizationId, userId }),
      ),
    );
  }

  revoke(organizationId: string, invitationId: string): Promise<unknown> {
    return firstValueFrom(
      this.http.delete(
        route('/api/v1/organizations/{orgId}/invitations/{invitationId}', {
          orgId: organizationId,
          invitationId,
        }),
      ),
    );
  }
}

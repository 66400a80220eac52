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

const base = (organizationId: string) => `/api/v1/organizations/${organizationId}`;
const MY_INVITATIONS = '/api/v1/invitations';

@Injectable({ providedIn: 'root' })
export class TeamApi {
  private readonly http = inject(HttpClient);

  rename(organizationId: string, name: string): Promise<Organization> {
    const body: RenameOrganizationRequest = { name };
    return firstValueFrom(this.http.patch<Organization>(base(organizationId), body));
  }

  members(organizationId: string): Promise<Page<Member>> {
    return firstValueFrom(
      this.http.get<Page<Member>>(`${base(organizationId)}/members`, { params: { limit: 100 } }),
    );
  }

  invitations(organizationId: string): Promise<Page<Invitation>> {
    return firstValueFrom(
      this.http.get<Page<Invitation>>(`${base(organizationId)}/invitations`, { params: { limit: 100 } }),
    );
  }

  invite(
    organizationId: string,
    email: string,
    role: Role,
    locale: MailLocale,
  ): Promise<InviteMemberResponse> {
    const body: InviteMemberRequest = { email, role, locale };
    return firstValueFrom(this.http.post<InviteMemberResponse>(`${base(organizationId)}/members`, body));
  }

  /** Invitations to the signed-in user's own address. */
  myInvitations(): Promise<PendingInvitation[]> {
    return firstValueFrom(this.http.get<PendingInvitation[]>(MY_INVITATIONS));
  }

  accept(invitationId: string): Promise<OrganizationMembership> {
    return firstValueFrom(
      this.http.post<OrganizationMembership>(`${MY_INVITATIONS}/${invitationId}/accept`, {}),
    );
  }

  decline(invitationId: string): Promise<unknown> {
    return firstValueFrom(this.http.post(`${MY_INVITATIONS}/${invitationId}/decline`, {}));
  }

  acceptLink(token: string): Promise<OrganizationMembership> {
    const body: AcceptInvitationLinkRequest = { token };
    return firstValueFrom(this.http.post<OrganizationMembership>(`${MY_INVITATIONS}/accept-link`, body));
  }

  changeRole(organizationId: string, userId: string, role: Role): Promise<Member> {
    return firstValueFrom(this.http.patch<Member>(`${base(organizationId)}/members/${userId}`, { role }));
  }

  remove(organizationId: string, userId: string): Promise<unknown> {
    return firstValueFrom(this.http.delete(`${base(organizationId)}/members/${userId}`));
  }

  revoke(organizationId: string, invitationId: string): Promise<unknown> {
    return firstValueFrom(this.http.delete(`${base(organizationId)}/invitations/${invitationId}`));
  }
}

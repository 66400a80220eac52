import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  Invitation,
  InviteMemberResponse,
  Member,
  Organization,
  Page,
  RenameOrganizationRequest,
  Role,
} from '@cloop/contracts';
import { firstValueFrom } from 'rxjs';

const base = (organizationId: string) => `/api/v1/organizations/${organizationId}`;

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

  invite(organizationId: string, email: string, role: Role): Promise<InviteMemberResponse> {
    return firstValueFrom(
      this.http.post<InviteMemberResponse>(`${base(organizationId)}/members`, { email, role }),
    );
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

import { inject, Injectable, signal } from '@angular/core';
import type { Invitation, MailLocale, Member, PendingInvitation, Role } from '@cloop/contracts';

import type { MessageKey } from '../../core/i18n/messages.en';
import { errorCode } from '../../core/http/errors';
import { TeamApi } from './team.api';

/** One organization's members and pending invitations. */
@Injectable()
export class TeamStore {
  private readonly api = inject(TeamApi);
  readonly members = signal<Member[]>([]);
  readonly invitations = signal<Invitation[]>([]);
  /** Invitations to the signed-in user, from any organization. */
  readonly mine = signal<PendingInvitation[]>([]);
  /** The link of the last invitation, when e-mail is off and the owner passes it on. */
  readonly link = signal<string | null>(null);
  readonly message = signal<{ key: MessageKey; error: boolean } | null>(null);
  readonly busy = signal(false);

  async load(organizationId: string): Promise<void> {
    const [members, invitations] = await Promise.all([
      this.api.members(organizationId),
      this.api.invitations(organizationId).catch(() => ({ items: [], nextCursor: null })),
    ]);
    this.members.set(members.items);
    this.invitations.set(invitations.items);
  }

  /** Renames the organization; the caller refreshes `/auth/me`, where its name is read. */
  rename(organizationId: string, name: string): Promise<void> {
    return this.run(organizationId, async () => {
      await this.api.rename(organizationId, name);
      return 'team.renamed';
    });
  }

  async loadMine(): Promise<void> {
    this.mine.set(await this.api.myInvitations());
  }

  invite(organizationId: string, email: string, role: Role, locale: MailLocale): Promise<void> {
    return this.run(organizationId, async () => {
      const result = await this.api.invite(organizationId, email, role, locale);
      if (result.status === 'pending') return 'team.invitedPending';
      this.link.set(result.link);
      return result.link === null ? 'team.invitedMailed' : 'team.invitedLink';
    });
  }

  /** Joins; the caller reloads `/auth/me`, where the organizations are read. */
  async accept(invitationId: string): Promise<boolean> {
    return this.answer(() => this.api.accept(invitationId));
  }

  async decline(invitationId: string): Promise<boolean> {
    return this.answer(() => this.api.decline(invitationId));
  }

  changeRole(organizationId: string, userId: string, role: Role): Promise<void> {
    return this.run(organizationId, async () => {
      await this.api.changeRole(organizationId, userId, role);
      return 'app.saved';
    });
  }

  remove(organizationId: string, userId: string): Promise<void> {
    return this.run(organizationId, async () => {
      await this.api.remove(organizationId, userId);
      return 'app.saved';
    });
  }

  revoke(organizationId: string, invitationId: string): Promise<void> {
    return this.run(organizationId, async () => {
      await this.api.revoke(organizationId, invitationId);
      return 'app.saved';
    });
  }

  private async answer(work: () => Promise<unknown>): Promise<boolean> {
    this.busy.set(true);
    this.message.set(null);
    try {
      await work();
      this.message.set({ key: 'app.saved', error: false });
      return true;
    } catch (error) {
      const code = errorCode(error);
      const key: MessageKey =
        code === 'EMAIL_NOT_VERIFIED'
          ? 'team.acceptNeedsVerify'
          : code === 'ALREADY_MEMBER'
            ? 'team.alreadyMember'
            : 'app.error';
      this.message.set({ key, error: true });
      return false;
    } finally {
      this.busy.set(false);
      await this.loadMine().catch(() => undefined);
    }
  }

  private async run(organizationId: string, work: () => Promise<MessageKey>): Promise<void> {
    this.busy.set(true);
    this.message.set(null);
    this.link.set(null);
    try {
      this.message.set({ key: await work(), error: false });
    } catch (error) {
      const code = errorCode(error);
      const key: MessageKey =
        code === 'LAST_OWNER'
          ? 'team.lastOwner'
          : code === 'FORBIDDEN'
            ? 'team.ownerOnly'
            : code === 'ALREADY_MEMBER'
              ? 'team.alreadyMember'
              : 'app.error';
      this.message.set({ key, error: true });
    } finally {
      this.busy.set(false);
    }
    await this.load(organizationId).catch(() => undefined);
  }
}

import { computed, inject, Injectable, signal } from '@angular/core';
import type { ErrorCode, Invitation, MailLocale, Member, PendingInvitation, Role } from '@cloop/contracts';

import { errorCode } from '../../core/http/errors';
import type { MessageKey } from '../../core/i18n/messages.en';
import { NoticeAction } from '../../core/state/action';
import { TeamApi } from './team.api';

/** One organization's members and pending invitations. */
@Injectable()
export class TeamStore {
  private readonly api = inject(TeamApi);
  private readonly memberList = signal<Member[]>([]);
  private readonly invitationList = signal<Invitation[]>([]);
  private readonly mineList = signal<PendingInvitation[]>([]);
  private readonly linkValue = signal<string | null>(null);
  /** Changes to the organization: a refusal says why (last owner, owners only, already a member). */
  private readonly changes = new NoticeAction((error) => changeErrorKey(errorCode(error)));
  /** Answers to one's own invitations. */
  private readonly answers = new NoticeAction((error) => answerErrorKey(errorCode(error)));

  readonly members = this.memberList.asReadonly();
  readonly invitations = this.invitationList.asReadonly();
  /** Invitations to the signed-in user, from any organization. */
  readonly mine = this.mineList.asReadonly();
  /** The link of the last invitation, when e-mail is off and the owner passes it on. */
  readonly link = this.linkValue.asReadonly();
  readonly message = computed(() => this.answers.notice() ?? this.changes.notice());
  readonly busy = computed(() => this.changes.busy() || this.answers.busy());

  async load(organizationId: string): Promise<void> {
    const [members, invitations] = await Promise.all([
      this.api.members(organizationId),
      this.api.invitations(organizationId).catch(() => ({ items: [], nextCursor: null })),
    ]);
    this.memberList.set(members.items);
    this.invitationList.set(invitations.items);
  }

  /** Renames the organization; the caller refreshes `/auth/me`, where its name is read. */
  rename(organizationId: string, name: string): Promise<void> {
    return this.run(organizationId, async () => {
      await this.api.rename(organizationId, name);
      return 'team.renamed';
    });
  }

  async loadMine(): Promise<void> {
    this.mineList.set(await this.api.myInvitations());
  }

  invite(organizationId: string, email: string, role: Role, locale: MailLocale): Promise<void> {
    return this.run(organizationId, async () => {
      const result = await this.api.invite(organizationId, email, role, locale);
      if (result.status === 'pending') return 'team.invitedPending';
      this.linkValue.set(result.link);
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
    this.changes.clear();
    const done = await this.answers.say(async () => {
      await work();
      return 'app.saved';
    });
    await this.loadMine().catch(() => undefined);
    return done;
  }

  private async run(organizationId: string, work: () => Promise<MessageKey>): Promise<void> {
    this.answers.clear();
    this.linkValue.set(null);
    await this.changes.say(work);
    await this.load(organizationId).catch(() => undefined);
  }
}

function changeErrorKey(code: ErrorCode | null): MessageKey {
  if (code === 'LAST_OWNER') return 'team.lastOwner';
  if (code === 'FORBIDDEN') return 'team.ownerOnly';
  if (code === 'ALREADY_MEMBER') return 'team.alreadyMember';
  return 'app.error';
}

function answerErrorKey(code: ErrorCode | null): MessageKey {
  if (code === 'EMAIL_NOT_VERIFIED') return 'team.acceptNeedsVerify';
  if (code === 'ALREADY_MEMBER') return 'team.alreadyMember';
  return 'app.error';
}

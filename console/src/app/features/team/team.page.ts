import { ChangeDetectionStrategy, Component, computed, effect, inject, untracked } from '@angular/core';
import { RouterLink } from '@angular/router';
import { ROLES } from '@cloop/contracts';

import { AuthStore } from '../../core/auth/auth.store';
import { I18n } from '../../core/i18n/i18n';
import { roleKey } from '../../core/i18n/labels';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { MailApi } from '../../core/mail/mail.api';
import { SiteContext } from '../../core/site/site-context';
import { ConfirmDialogComponent } from '../../shared/ui/confirm-dialog.component';
import { CopyButtonComponent } from '../../shared/ui/copy-button.component';
import { formValues } from '../../shared/ui/form-values';
import { TeamStore } from './team.store';

@Component({
  selector: 'cl-team-page',
  imports: [ConfirmDialogComponent, CopyButtonComponent, RouterLink, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './team.page.html',
})
export class TeamPage {
  protected readonly store = inject(TeamStore);
  private readonly auth = inject(AuthStore);
  private readonly sites = inject(SiteContext);
  protected readonly mail = inject(MailApi);
  protected readonly i18n = inject(I18n);
  protected readonly roles = ROLES;
  protected readonly roleKey = roleKey;
  protected readonly organization = this.sites.organization;
  protected readonly isOwner = computed(() => this.organization()?.role === 'owner');
  protected readonly myId = computed(() => this.auth.me()?.user.id ?? null);
  protected pendingRemoval: string | null = null;

  constructor() {
    void this.auth.loadMe().catch(() => undefined);
    void this.mail.loadStatus();
    void this.store.loadMine().catch(() => undefined);
    effect(() => {
      const id = this.organization()?.id;
      untracked(() => id && void this.store.load(id).catch(() => undefined));
    });
  }

  protected async rename(event: Event): Promise<void> {
    event.preventDefault();
    const { name = '' } = formValues(event);
    const organization = this.organization();
    if (!organization || !name.trim()) return;
    await this.store.rename(organization.id, name.trim());
    await this.auth.loadMe(true).catch(() => undefined);
  }

  protected invite(event: Event): void {
    const { email = '', role = 'member' } = formValues(event);
    const organization = this.organization();
    const chosen = this.roles.find((r) => r === role) ?? 'member';
    if (organization && email) {
      void this.store
        .invite(organization.id, email, chosen, this.i18n.locale())
        .then(() => (event.target as HTMLFormElement).reset());
    }
  }

  protected changeRole(userId: string, event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    const role = this.roles.find((r) => r === value);
    const organization = this.organization();
    if (organization && role) void this.store.changeRole(organization.id, userId, role);
  }

  protected askRemove(userId: string, dialog: ConfirmDialogComponent): void {
    this.pendingRemoval = userId;
    dialog.open();
  }

  protected remove(): void {
    const organization = this.organization();
    if (organization && this.pendingRemoval) void this.store.remove(organization.id, this.pendingRemoval);
    this.pendingRemoval = null;
  }

  protected async accept(invitationId: string): Promise<void> {
    if (await this.store.accept(invitationId)) await this.auth.loadMe(true).catch(() => undefined);
  }

  protected decline(invitationId: string): void {
    void this.store.decline(invitationId);
  }

  protected revoke(invitationId: string): void {
    const organization = this.organization();
    if (organization) void this.store.revoke(organization.id, invitationId);
  }
}

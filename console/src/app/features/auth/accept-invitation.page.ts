import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';

import { AuthStore } from '../../core/auth/auth.store';
import { I18n } from '../../core/i18n/i18n';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { tokenFromFragment } from '../../core/mail/mail.api';
import { Action } from '../../core/state/action';
import { formValues } from '../../shared/ui/form-values';
import { TeamApi } from '../team/team.api';
import { authErrorKey } from './auth-errors';
import { AuthFormComponent } from './auth-form.component';
import { NewAccountFieldsComponent } from './new-account-fields.component';

/**
 * Where an invitation link lands: a new person signs up with it (which proves the address and
 * joins); someone signed in takes it up with their account.
 */
@Component({
  selector: 'cl-accept-invitation-page',
  imports: [RouterLink, AuthFormComponent, NewAccountFieldsComponent, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <cl-auth-form
      testId="accept-invitation"
      [heading]="'auth.invitationTitle' | t"
      [submitLabel]="!token ? null : auth.signedIn() ? ('auth.acceptInvitation' | t) : ('auth.signUp' | t)"
      [action]="action"
      (submitted)="submit($event)"
    >
      @if (!token) {
        <p class="error" role="alert">{{ 'auth.noToken' | t }}</p>
      } @else if (auth.signedIn()) {
        <p class="muted">{{ 'auth.invitationSignedIn' | t }}</p>
      } @else {
        <p class="muted">{{ 'auth.invitationHint' | t }}</p>
        <cl-new-account-fields />
      }
      <ng-container ngProjectAs="auth-footer">
        @if (token && !auth.signedIn()) {
          <p class="muted">
            {{ 'auth.invitationHaveAccount' | t }} <a routerLink="/sign-in">{{ 'auth.signIn' | t }}</a>
          </p>
        }
      </ng-container>
    </cl-auth-form>
  `,
})
export class AcceptInvitationPage {
  protected readonly auth = inject(AuthStore);
  private readonly team = inject(TeamApi);
  private readonly router = inject(Router);
  private readonly i18n = inject(I18n);
  protected readonly token = tokenFromFragment(inject(ActivatedRoute).snapshot.fragment);
  /** `authErrorKey` also names a used or expired link (`INVITATION_LINK_INVALID`). */
  protected readonly action = new Action(authErrorKey);

  protected async submit(event: Event): Promise<void> {
    const token = this.token;
    if (!token) return;
    const { name = '', email = '', password = '' } = formValues(event);
    await this.action.run(async () => {
      if (this.auth.signedIn()) {
        await this.team.acceptLink(token);
        await this.auth.loadMe(true);
        await this.router.navigateByUrl('/team');
      } else {
        const locale = this.i18n.locale();
        await this.auth.signUp({ name, email, password, locale, invitationToken: token });
        await this.router.navigateByUrl('/inbox');
      }
    });
  }
}

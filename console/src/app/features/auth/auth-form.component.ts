import { ChangeDetectionStrategy, Component, input, output } from '@angular/core';

import type { MessageKey } from '../../core/i18n/messages.en';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import type { Action } from '../../core/state/action';
import { PrefsToggleComponent } from '../../shared/ui/prefs-toggle.component';

/**
 * The frame every signed-out form shares (sign-in, sign-up, invitation, password reset): the
 * page's preferences, the card with its title, what the page projects, then the action's error and
 * the submit button (busy while the action runs), then what the page projects as `auth-footer`; under the card, what it projects as `auth-after`
 * (sign-in's "Sign in with your organization").
 * `submitLabel` `null` leaves the button out (a link that cannot be used, a form already sent).
 */
@Component({
  selector: 'cl-auth-form',
  imports: [PrefsToggleComponent, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <main class="auth-page">
      <div class="auth-prefs"><cl-prefs-toggle /></div>
      <form class="card auth-card" [attr.data-testid]="testId()" (submit)="submitted.emit($event)">
        <h1>{{ heading() }}</h1>
        <ng-content />
        @if (submitLabel(); as label) {
          @if (action().error(); as key) {
            <p class="error" role="alert">{{ key | t }}</p>
          }
          <button class="primary" type="submit" [disabled]="action().busy()">{{ label }}</button>
        }
        <ng-content select="auth-footer" />
      </form>
      <ng-content select="auth-after" />
    </main>
  `,
})
export class AuthFormComponent {
  readonly heading = input.required<string>();
  readonly submitLabel = input.required<string | null>();
  readonly action = input.required<Action<MessageKey>>();
  readonly testId = input<string | null>(null);
  /** The form's submit event (the page reads its fields with `formValues`). */
  readonly submitted = output<Event>();
}

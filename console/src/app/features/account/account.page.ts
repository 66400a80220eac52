import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { PASSWORD_MIN_LENGTH } from '@cloop/contracts';

import { AuthStore } from '../../core/auth/auth.store';
import { I18n } from '../../core/i18n/i18n';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { MailApi } from '../../core/mail/mail.api';
import { ConfirmDialogComponent } from '../../shared/ui/confirm-dialog.component';
import { formValues } from '../../shared/ui/form-values';
import { AccountStore } from './account.store';

@Component({
  selector: 'cl-account-page',
  imports: [ConfirmDialogComponent, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page stack">
      <h1>{{ 'account.title' | t }}</h1>
      @if (store.message(); as message) {
        <p [class.error]="message.error" [class.ok]="!message.error" role="status">{{ message.key | t }}</p>
      }
      <div class="grid-2">
        <div class="card stack">
          <h2>{{ 'account.profile' | t }}</h2>
          @if (auth.me(); as me) {
            <div>
              <strong>{{ me.user.name }}</strong>
            </div>
            <div class="muted">{{ me.user.email }}</div>
            <div class="muted">{{ i18n.date(me.user.createdAt) }}</div>
          }
          <h2>{{ 'account.export' | t }}</h2>
          <small>{{ 'account.exportHint' | t }}</small>
          <div>
            <button type="button" [disabled]="store.busy()" (click)="store.exportMyData()">
              {{ 'account.export' | t }}
            </button>
          </div>
        </div>
        <form class="card stack" (submit)="changePassword($event)">
          <h2>{{ 'account.changePassword' | t }}</h2>
          <label
            >{{ 'account.currentPassword' | t }}
            <input name="current" type="password" autocomplete="current-password" required />
          </label>
          <label
            >{{ 'account.newPassword' | t }}
            <input
              name="next"
              type="password"
              autocomplete="new-password"
              required
              [attr.minlength]="minLength"
            />
            <small>{{ 'auth.passwordHint' | t }}</small>
          </label>
          <div>
            <button type="submit" class="primary" [disabled]="store.busy()">
              {{ 'account.changePassword' | t }}
            </button>
          </div>
        </form>
      </div>
      <section class="card stack" data-testid="mail-preferences">
        <h2>{{ 'account.notifications' | t }}</h2>
        @if (mail.enabled() === false) {
          <p class="notice" role="status">{{ 'account.mailOff' | t }}</p>
        } @else if (auth.me(); as me) {
          @if (!me.user.emailVerified) {
            <p class="notice row">
              <span class="grow">{{ 'account.unverified' | t }}</span>
              <button type="button" [disabled]="store.busy()" (click)="store.resendVerification()">
                {{ 'account.resendVerification' | t }}
              </button>
            </p>
          }
        }
        @if (store.preferences(); as prefs) {
          <label class="row">
            <input
              type="checkbox"
              name="leadNotifications"
              [checked]="prefs.leadNotifications"
              (change)="toggleLeads($event)"
            />
            {{ 'account.leadNotifications' | t }}
          </label>
          <label
            >{{ 'account.mailLocale' | t }}
            <select name="mailLocale" (change)="changeLocale($event)">
              <option value="en" [selected]="prefs.locale === 'en'">English</option>
              <option value="fi" [selected]="prefs.locale === 'fi'">Suomi</option>
            </select>
          </label>
        }
      </section>
      <form class="card stack" (submit)="askDelete($event, confirmDelete)">
        <h2>{{ 'account.delete' | t }}</h2>
        <small>{{ 'account.deleteHint' | t }}</small>
        <label
          >{{ 'auth.password' | t }}
          <input name="password" type="password" autocomplete="current-password" required />
        </label>
        <div>
          <button type="submit" class="danger" [disabled]="store.busy()">{{ 'account.delete' | t }}</button>
        </div>
      </form>
      <cl-confirm-dialog
        #confirmDelete
        [message]="'account.deleteConfirm' | t"
        [confirmLabel]="'account.delete' | t"
        (confirmed)="deleteAccount()"
      />
    </section>
  `,
})
export class AccountPage {
  protected readonly store = inject(AccountStore);
  protected readonly auth = inject(AuthStore);
  protected readonly mail = inject(MailApi);
  protected readonly i18n = inject(I18n);
  protected readonly minLength = PASSWORD_MIN_LENGTH;
  private deletePassword = '';

  constructor() {
    void this.auth.loadMe().catch(() => undefined);
    void this.mail.loadStatus();
    void this.store.loadPreferences().catch(() => undefined);
  }

  protected toggleLeads(event: Event): void {
    const prefs = this.store.preferences();
    if (prefs) {
      void this.store.savePreferences({
        ...prefs,
        leadNotifications: (event.target as HTMLInputElement).checked,
      });
    }
  }

  protected changeLocale(event: Event): void {
    const prefs = this.store.preferences();
    const value = (event.target as HTMLSelectElement).value;
    if (prefs && (value === 'en' || value === 'fi'))
      void this.store.savePreferences({ ...prefs, locale: value });
  }

  protected async changePassword(event: Event): Promise<void> {
    const { current = '', next = '' } = formValues(event);
    if (await this.store.changePassword(current, next)) (event.target as HTMLFormElement).reset();
  }

  protected askDelete(event: Event, dialog: ConfirmDialogComponent): void {
    this.deletePassword = formValues(event)['password'] ?? '';
    dialog.open();
  }

  protected async deleteAccount(): Promise<void> {
    await this.store.deleteAccount(this.deletePassword);
    this.deletePassword = '';
  }
}

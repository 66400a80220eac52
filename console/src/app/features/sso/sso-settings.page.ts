import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { RouterLink } from '@angular/router';
import { SSO_NEW_USER_ROLES, type SsoNewUserRole, type SsoSettings } from '@cloop/contracts';

import { AuthStore } from '../../core/auth/auth.store';
import { I18n } from '../../core/i18n/i18n';
import type { MessageKey } from '../../core/i18n/messages.en';
import { SiteContext } from '../../core/site/site-context';
import { CopyButtonComponent } from '../../shared/ui/copy-button.component';
import { formValues } from '../../shared/ui/form-values';
import { SsoApi } from './sso.api';
import { ssoErrorKey } from './sso-errors';

/** Owners' single sign-on settings: the provider, who may sign in, and whether passwords still may. */
@Component({
  selector: 'cl-sso-settings-page',
  imports: [CopyButtonComponent, RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page stack">
      <p>
        <a routerLink="/team">← {{ t('nav.team') }}</a>
      </p>
      <h1>
        {{ t('sso.title') }}
        @if (organization(); as org) {
          <small class="muted">· {{ org.name }}</small>
        }
      </h1>
      @if (!isOwner()) {
        <p class="notice" data-testid="sso-owner-only">{{ t('sso.ownerOnly') }}</p>
      } @else if (settings(); as current) {
        <p class="muted">{{ t('sso.intro') }}</p>
        <div class="card stack">
          <h2>{{ t('sso.redirectUri') }}</h2>
          <p class="muted">{{ t('sso.redirectUriHint') }}</p>
          <div class="row">
            <code class="spacer" data-testid="sso-redirect-uri">{{ current.redirectUri }}</code>
            <cl-copy-button [text]="current.redirectUri" />
          </div>
        </div>
        <form class="card stack" data-testid="sso-form" (submit)="save($event)">
          <label class="row"
            ><input type="checkbox" name="enabled" [checked]="current.enabled" data-testid="sso-enabled" />
            {{ t('sso.enabled') }}</label
          >
          <label
            >{{ t('sso.issuer') }}
            <input
              name="issuer"
              type="url"
              required
              maxlength="2048"
              [value]="current.issuer ?? ''"
              placeholder="https://login.example.com/realms/staff"
              data-testid="sso-issuer"
            />
          </label>
          <label
            >{{ t('sso.clientId') }}
            <input
              name="clientId"
              required
              maxlength="255"
              autocomplete="off"
              [value]="current.clientId ?? ''"
              data-testid="sso-client-id"
            />
          </label>
          <label
            >{{ t('sso.clientSecret') }}
            <input
              name="clientSecret"
              type="password"
              autocomplete="new-password"
              maxlength="1024"
              [placeholder]="current.clientSecretSet ? t('sso.clientSecretKept') : ''"
              data-testid="sso-client-secret"
            />
          </label>
          @if (current.clientSecretSet) {
            <p class="muted" data-testid="sso-secret-set">{{ t('sso.clientSecretSet') }}</p>
          }
          <label
            >{{ t('sso.domains') }}
            <input
              name="allowedDomains"
              autocomplete="off"
              [value]="current.allowedDomains.join(', ')"
              placeholder="example.com, example.fi"
              data-testid="sso-domains"
            />
          </label>
          <p class="muted">{{ t('sso.domainsHint') }}</p>
          <label
            >{{ t('sso.newUserRole') }}
            <select name="newUserRole" data-testid="sso-role">
              @for (role of roles; track role) {
                <option [value]="role" [selected]="role === current.newUserRole">
                  {{ t(roleKey(role)) }}
                </option>
              }
            </select>
          </label>
          <label class="row"
            ><input type="checkbox" name="ssoOnly" [checked]="current.ssoOnly" data-testid="sso-only" />
            {{ t('sso.ssoOnly') }}</label
          >
          <p class="muted">{{ t('sso.ssoOnlyHint') }}</p>
          @if (error(); as key) {
            <p class="error" role="alert">{{ t(key) }}</p>
          }
          @if (saved()) {
            <p role="status" data-testid="sso-saved">{{ t('app.saved') }}</p>
          }
          <div class="row">
            <span class="spacer"></span>
            <button class="primary" type="submit" [disabled]="busy()" data-testid="sso-save">
              {{ t('app.save') }}
            </button>
          </div>
        </form>
      } @else if (error(); as key) {
        <p class="error" role="alert">{{ t(key) }}</p>
      } @else {
        <p class="muted">{{ t('app.loading') }}</p>
      }
    </section>
  `,
})
export class SsoSettingsPage {
  private readonly api = inject(SsoApi);
  private readonly auth = inject(AuthStore);
  private readonly sites = inject(SiteContext);
  protected readonly t = inject(I18n).t;
  protected readonly roles = SSO_NEW_USER_ROLES;
  /** The organization of the selected site, or the user's first (as on the team page). */
  protected readonly organization = computed(() => {
    const organizations = this.auth.me()?.organizations ?? [];
    const siteOrg = this.sites.site()?.organizationId;
    return organizations.find((o) => o.id === siteOrg) ?? organizations.at(0) ?? null;
  });
  protected readonly isOwner = computed(() => this.organization()?.role === 'owner');
  protected readonly settings = signal<SsoSettings | null>(null);
  protected readonly error = signal<MessageKey | null>(null);
  protected readonly busy = signal(false);
  protected readonly saved = signal(false);

  constructor() {
    void this.auth.loadMe().catch(() => undefined);
    effect(() => {
      const id = this.organization()?.id;
      const owner = this.isOwner();
      untracked(() => id && owner && void this.load(id));
    });
  }

  protected roleKey(role: SsoNewUserRole): MessageKey {
    return role === 'admin' ? 'sso.role.admin' : 'sso.role.member';
  }

  protected async save(event: Event): Promise<void> {
    const organization = this.organization();
    const form = event.target as HTMLFormElement;
    const values = formValues(event);
    if (!organization) return;
    const secret = values['clientSecret'] ?? '';
    this.busy.set(true);
    this.error.set(null);
    this.saved.set(false);
    try {
      this.settings.set(
        await this.api.save(organization.id, {
          enabled: (form.elements.namedItem('enabled') as HTMLInputElement).checked,
          issuer: (values['issuer'] ?? '').trim(),
          clientId: (values['clientId'] ?? '').trim(),
          ...(secret ? { clientSecret: secret } : {}),
          allowedDomains: (values['allowedDomains'] ?? '').split(/[\s,]+/).filter(Boolean),
          newUserRole: values['newUserRole'] === 'admin' ? 'admin' : 'member',
          ssoOnly: (form.elements.namedItem('ssoOnly') as HTMLInputElement).checked,
        }),
      );
      (form.elements.namedItem('clientSecret') as HTMLInputElement).value = '';
      this.saved.set(true);
    } catch (error) {
      this.error.set(ssoErrorKey(error));
    } finally {
      this.busy.set(false);
    }
  }

  private async load(organizationId: string): Promise<void> {
    try {
      this.settings.set(await this.api.settings(organizationId));
    } catch (error) {
      this.error.set(ssoErrorKey(error));
    }
  }
}

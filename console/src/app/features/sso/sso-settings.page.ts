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
import { TranslatePipe } from '../../core/i18n/t.pipe';
import type { MessageKey } from '../../core/i18n/messages.en';
import { SiteContext } from '../../core/site/site-context';
import { NoticeAction } from '../../core/state/action';
import { CopyButtonComponent } from '../../shared/ui/copy-button.component';
import { formValues } from '../../shared/ui/form-values';
import { SsoApi } from './sso.api';
import { ssoErrorKey } from './sso-errors';

/** Owners' single sign-on settings: the provider, who may sign in, and whether passwords still may. */
@Component({
  selector: 'cl-sso-settings-page',
  imports: [CopyButtonComponent, RouterLink, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page stack">
      <p>
        <a routerLink="/team">← {{ 'nav.team' | t }}</a>
      </p>
      <h1>
        {{ 'sso.title' | t }}
        @if (organization(); as org) {
          <small class="muted">· {{ org.name }}</small>
        }
      </h1>
      @if (!isOwner()) {
        <p class="notice" data-testid="sso-owner-only">{{ 'sso.ownerOnly' | t }}</p>
      } @else if (settings(); as current) {
        <p class="muted">{{ 'sso.intro' | t }}</p>
        <div class="card stack">
          <h2>{{ 'sso.redirectUri' | t }}</h2>
          <p class="muted">{{ 'sso.redirectUriHint' | t }}</p>
          <div class="row">
            <code class="spacer" data-testid="sso-redirect-uri">{{ current.redirectUri }}</code>
            <cl-copy-button [text]="current.redirectUri" />
          </div>
        </div>
        <form class="card stack" data-testid="sso-form" (submit)="save($event)">
          <label class="row"
            ><input type="checkbox" name="enabled" [checked]="current.enabled" data-testid="sso-enabled" />
            {{ 'sso.enabled' | t }}</label
          >
          <label
            >{{ 'sso.issuer' | t }}
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
            >{{ 'sso.clientId' | t }}
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
            >{{ 'sso.clientSecret' | t }}
            <input
              name="clientSecret"
              type="password"
              autocomplete="new-password"
              maxlength="1024"
              [placeholder]="current.clientSecretSet ? ('sso.clientSecretKept' | t) : ''"
              data-testid="sso-client-secret"
            />
          </label>
          @if (current.clientSecretSet) {
            <p class="muted" data-testid="sso-secret-set">{{ 'sso.clientSecretSet' | t }}</p>
          }
          <label
            >{{ 'sso.domains' | t }}
            <input
              name="allowedDomains"
              autocomplete="off"
              [value]="current.allowedDomains.join(', ')"
              placeholder="example.com, example.fi"
              data-testid="sso-domains"
            />
          </label>
          <p class="muted">{{ 'sso.domainsHint' | t }}</p>
          <label
            >{{ 'sso.newUserRole' | t }}
            <select name="newUserRole" data-testid="sso-role">
              @for (role of roles; track role) {
                <option [value]="role" [selected]="role === current.newUserRole">
                  {{ roleKey(role) | t }}
                </option>
              }
            </select>
          </label>
          <label class="row"
            ><input type="checkbox" name="ssoOnly" [checked]="current.ssoOnly" data-testid="sso-only" />
            {{ 'sso.ssoOnly' | t }}</label
          >
          <p class="muted">{{ 'sso.ssoOnlyHint' | t }}</p>
          @if (action.notice(); as notice) {
            @if (notice.error) {
              <p class="error" role="alert">{{ notice.key | t }}</p>
            } @else {
              <p role="status" data-testid="sso-saved">{{ notice.key | t }}</p>
            }
          }
          <div class="row">
            <span class="spacer"></span>
            <button class="primary" type="submit" [disabled]="action.busy()" data-testid="sso-save">
              {{ 'app.save' | t }}
            </button>
          </div>
        </form>
      } @else if (action.error(); as key) {
        <p class="error" role="alert">{{ key | t }}</p>
      } @else {
        <p class="muted">{{ 'app.loading' | t }}</p>
      }
    </section>
  `,
})
export class SsoSettingsPage {
  private readonly api = inject(SsoApi);
  private readonly auth = inject(AuthStore);
  protected readonly roles = SSO_NEW_USER_ROLES;
  /** The organization of the selected site, or the user's first (as on the team page). */
  protected readonly organization = inject(SiteContext).organization;
  protected readonly isOwner = computed(() => this.organization()?.role === 'owner');
  protected readonly settings = signal<SsoSettings | null>(null);
  protected readonly action = new NoticeAction(ssoErrorKey);

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
    await this.action.say(async () => {
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
      return 'app.saved';
    });
  }

  private async load(organizationId: string): Promise<void> {
    try {
      this.settings.set(await this.api.settings(organizationId));
    } catch (error) {
      this.action.report(error);
    }
  }
}

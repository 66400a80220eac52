import {
  ChangeDetectionStrategy,
  Component,
  computed,
  DestroyRef,
  effect,
  ElementRef,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { NavigationEnd, Router, RouterLink, RouterLinkActive, RouterOutlet } from '@angular/router';

import { PrefsToggleComponent } from '../../shared/ui/prefs-toggle.component';
import { AuthStore } from '../auth/auth.store';
import { TranslatePipe } from '../i18n/t.pipe';
import { Realtime } from '../realtime/realtime';
import { SiteContext } from '../site/site-context';

/** The signed-in frame: navigation, the site switcher, theme and language, sign-out. */
@Component({
  selector: 'cl-shell',
  imports: [RouterOutlet, RouterLink, RouterLinkActive, PrefsToggleComponent, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <header class="topbar">
      <a class="brand" routerLink="/inbox">{{ 'app.name' | t }}</a>
      <label class="switcher">
        <span class="visually-hidden">{{ 'nav.site' | t }}</span>
        <select data-testid="site-switcher" [value]="sites.siteId() ?? ''" (change)="selectSite($event)">
          @for (site of sites.sites(); track site.id) {
            <option [value]="site.id" [selected]="site.id === sites.siteId()">{{ site.name }}</option>
          } @empty {
            <option value="" disabled selected>{{ 'nav.noSites' | t }}</option>
          }
        </select>
      </label>
      <button
        type="button"
        class="ghost menu-toggle"
        data-testid="menu-toggle"
        aria-controls="shell-menu"
        [attr.aria-expanded]="menuOpen()"
        (click)="menuOpen.set(!menuOpen())"
      >
        <span aria-hidden="true">☰</span> {{ 'nav.menu' | t }}
      </button>
      <div id="shell-menu" class="topbar-menu" [class.open]="menuOpen()" (keydown.escape)="closeMenu(true)">
        <nav [attr.aria-label]="'nav.main' | t">
          <a routerLink="/inbox" routerLinkActive="active">{{ 'nav.inbox' | t }}</a>
          <a routerLink="/knowledge" routerLinkActive="active">{{ 'nav.knowledge' | t }}</a>
          <a routerLink="/sites" routerLinkActive="active">{{ 'nav.sites' | t }}</a>
          <a routerLink="/privacy" routerLinkActive="active" [routerLinkActiveOptions]="{ exact: true }">{{
            'nav.privacy' | t
          }}</a>
          <a routerLink="/privacy/audit" routerLinkActive="active">{{ 'nav.audit' | t }}</a>
          <a routerLink="/webhooks" routerLinkActive="active">{{ 'nav.webhooks' | t }}</a>
          <a routerLink="/team" routerLinkActive="active">{{ 'nav.team' | t }}</a>
        </nav>
        <div class="topbar-end">
          <cl-prefs-toggle />
          <a class="account-link" routerLink="/account" routerLinkActive="active">{{
            userName() ?? ('nav.account' | t)
          }}</a>
          <button type="button" class="ghost" data-testid="sign-out" (click)="signOut()">
            {{ 'nav.signOut' | t }}
          </button>
        </div>
      </div>
    </header>
    <main class="content">
      @if (sites.loaded()) {
        <router-outlet />
      } @else {
        <p class="muted page">{{ 'app.loading' | t }}</p>
      }
    </main>
  `,
  host: { class: 'shell' },
})
export class ShellComponent {
  protected readonly auth = inject(AuthStore);
  protected readonly sites = inject(SiteContext);
  private readonly realtime = inject(Realtime);
  /** The narrow-screen menu (CSS shows the toggle only where the links do not fit). */
  protected readonly menuOpen = signal(false);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  protected readonly userName = computed(() => this.auth.me()?.user.name ?? null);

  constructor() {
    void this.auth.loadMe().catch(() => undefined);
    void this.sites.load().catch(() => undefined);
    effect(() => {
      const siteId = this.auth.signedIn() ? this.sites.siteId() : null;
      untracked(() => this.realtime.watch(siteId));
    });
    const navigation = inject(Router).events.subscribe((event) => {
      if (event instanceof NavigationEnd) this.menuOpen.set(false);
    });
    inject(DestroyRef).onDestroy(() => navigation.unsubscribe());
    // Leaving the shell (sign-out, a failed refresh, account deletion) closes the socket too.
    inject(DestroyRef).onDestroy(() => this.realtime.disconnect());
  }

  protected closeMenu(returnFocus: boolean): void {
    if (!this.menuOpen()) return;
    this.menuOpen.set(false);
    if (returnFocus) this.host.nativeElement.querySelector<HTMLElement>('.menu-toggle')?.focus();
  }

  protected selectSite(event: Event): void {
    this.sites.select((event.target as HTMLSelectElement).value);
  }

  protected async signOut(): Promise<void> {
    this.realtime.disconnect();
    await this.auth.signOut();
  }
}

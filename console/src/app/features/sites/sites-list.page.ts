import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';

import { I18n } from '../../core/i18n/i18n';
import { SiteContext } from '../../core/site/site-context';

@Component({
  selector: 'cl-sites-list-page',
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page stack">
      <div class="row">
        <h1>{{ t('sites.title') }}</h1>
        <span class="spacer"></span>
        <a class="button primary" routerLink="/sites/new">{{ t('sites.new') }}</a>
      </div>
      <div class="site-list">
        @for (site of context.sites(); track site.id) {
          <div class="card site-item">
            <div class="stack">
              <strong>{{ site.name }}</strong>
              <small class="muted">{{ site.allowedOrigins.join(', ') || t('app.none') }}</small>
            </div>
            <span class="spacer"></span>
            @if (site.id === context.siteId()) {
              <span class="badge accent">✓</span>
            }
            <a [routerLink]="['/sites', site.id]">{{ t('sites.open') }}</a>
          </div>
        } @empty {
          <p class="card empty">{{ t('sites.empty') }}</p>
        }
      </div>
    </section>
  `,
})
export class SitesListPage {
  protected readonly context = inject(SiteContext);
  protected readonly t = inject(I18n).t;
}

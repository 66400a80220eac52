import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';

import { TranslatePipe } from '../../core/i18n/t.pipe';
import { SiteContext } from '../../core/site/site-context';

@Component({
  selector: 'cl-sites-list-page',
  imports: [RouterLink, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page stack">
      <div class="row">
        <h1>{{ 'sites.title' | t }}</h1>
        <span class="spacer"></span>
        <a class="button primary" routerLink="/sites/new">{{ 'sites.new' | t }}</a>
      </div>
      <div class="site-list">
        @for (site of context.sites(); track site.id) {
          <div class="card site-item">
            <div class="stack">
              <strong>{{ site.name }}</strong>
              <small class="muted">{{ site.allowedOrigins.join(', ') || ('app.none' | t) }}</small>
            </div>
            <span class="spacer"></span>
            @if (site.id === context.siteId()) {
              <span class="badge accent">✓</span>
            }
            <a [routerLink]="['/sites', site.id]">{{ 'sites.open' | t }}</a>
          </div>
        } @empty {
          <p class="card empty">{{ 'sites.empty' | t }}</p>
        }
      </div>
    </section>
  `,
})
export class SitesListPage {
  protected readonly context = inject(SiteContext);
}

import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { RouterLink } from '@angular/router';

import { I18n } from '../../core/i18n/i18n';

@Component({
  selector: 'cl-not-found-page',
  imports: [RouterLink],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <h1>{{ t('notFound.title') }}</h1>
      <a routerLink="/inbox">{{ t('notFound.back') }}</a>
    </section>
  `,
})
export class NotFoundPage {
  protected readonly t = inject(I18n).t;
}

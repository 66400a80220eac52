import { ChangeDetectionStrategy, Component } from '@angular/core';
import { RouterLink } from '@angular/router';

import { TranslatePipe } from '../../core/i18n/t.pipe';

@Component({
  selector: 'cl-not-found-page',
  imports: [RouterLink, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page">
      <h1>{{ 'notFound.title' | t }}</h1>
      <a routerLink="/inbox">{{ 'notFound.back' | t }}</a>
    </section>
  `,
})
export class NotFoundPage {}

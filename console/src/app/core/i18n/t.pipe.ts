import { inject, Pipe, type PipeTransform } from '@angular/core';

import { I18n } from './i18n';
import type { MessageKey } from './messages.en';

/**
 * `{{ 'inbox.title' | t }}`, `{{ 'knowledge.progress' | t: { count, pages } }}`: the console's one
 * way to put a message in a template. Not pure, so it runs with each check of its view: the text
 * reads the locale signal, and the view follows a change of language like any other signal.
 */
@Pipe({ name: 't', pure: false })
export class TranslatePipe implements PipeTransform {
  private readonly i18n = inject(I18n);

  transform(key: MessageKey, params?: Record<string, string | number>): string {
    return this.i18n.t(key, params);
  }
}

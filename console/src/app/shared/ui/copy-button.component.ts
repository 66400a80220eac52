import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';

import { I18n } from '../../core/i18n/i18n';

@Component({
  selector: 'cl-copy-button',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<button type="button" data-testid="copy" (click)="copy()">
    {{ copied() ? t('app.copied') : t('app.copy') }}
  </button>`,
})
export class CopyButtonComponent {
  readonly text = input.required<string>();
  protected readonly t = inject(I18n).t;
  protected readonly copied = signal(false);

  protected async copy(): Promise<void> {
    await navigator.clipboard.writeText(this.text());
    this.copied.set(true);
    setTimeout(() => this.copied.set(false), 2000);
  }
}

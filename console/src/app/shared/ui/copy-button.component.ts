import { ChangeDetectionStrategy, Component, input, signal } from '@angular/core';

import { TranslatePipe } from '../../core/i18n/t.pipe';

@Component({
  selector: 'cl-copy-button',
  imports: [TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<button type="button" data-testid="copy" (click)="copy()">
    {{ copied() ? ('app.copied' | t) : ('app.copy' | t) }}
  </button>`,
})
export class CopyButtonComponent {
  readonly text = input.required<string>();
  protected readonly copied = signal(false);

  protected async copy(): Promise<void> {
    await navigator.clipboard.writeText(this.text());
    this.copied.set(true);
    setTimeout(() => this.copied.set(false), 2000);
  }
}

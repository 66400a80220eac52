import {
  ChangeDetectionStrategy,
  Component,
  type ElementRef,
  input,
  output,
  signal,
  viewChild,
} from '@angular/core';

import { TranslatePipe } from '../../core/i18n/t.pipe';

/** A native modal dialog that asks before something irreversible; optionally the user types a word. */
@Component({
  selector: 'cl-confirm-dialog',
  imports: [TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <dialog #dialog data-testid="confirm-dialog" (close)="typed.set('')">
      <form method="dialog" class="stack" (submit)="submit($event)">
        <p>{{ message() }}</p>
        @if (typeToConfirm(); as word) {
          <label
            ><span class="muted">{{ word }}</span>
            <input name="confirmation" autocomplete="off" (input)="typed.set(value($event))" />
          </label>
        }
        <div class="row">
          <span class="spacer"></span>
          <button type="button" (click)="close()">{{ 'app.cancel' | t }}</button>
          <button
            type="submit"
            class="danger solid"
            data-testid="confirm"
            [disabled]="typeToConfirm() !== null && typed() !== typeToConfirm()"
          >
            {{ confirmLabel() ?? ('app.confirm' | t) }}
          </button>
        </div>
      </form>
    </dialog>
  `,
})
export class ConfirmDialogComponent {
  readonly message = input.required<string>();
  readonly confirmLabel = input<string | null>(null);
  readonly typeToConfirm = input<string | null>(null);
  readonly confirmed = output<void>();
  protected readonly typed = signal('');
  private readonly dialog = viewChild.required<ElementRef<HTMLDialogElement>>('dialog');

  open(): void {
    this.dialog().nativeElement.showModal();
  }

  close(): void {
    this.dialog().nativeElement.close();
  }

  protected value(event: Event): string {
    return (event.target as HTMLInputElement).value;
  }

  protected submit(event: Event): void {
    event.preventDefault();
    this.close();
    this.confirmed.emit();
  }
}

import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { WidgetSettings } from '@cloop/contracts';

/** A static look-alike of the widget that follows the form as the user types. */
@Component({
  selector: 'cl-widget-preview',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <div class="preview" data-testid="widget-preview">
      <div class="preview-panel" [class.left]="left()" [class.right]="!left()">
        <div class="preview-head" [style.background]="settings().color">{{ settings().assistantName }}</div>
        <div class="preview-body">
          <div class="preview-bubble">{{ settings().greeting }}</div>
        </div>
      </div>
      <div
        class="preview-launcher"
        [class.left]="left()"
        [class.right]="!left()"
        [style.background]="settings().color"
      >
        <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true">
          <path
            fill="currentColor"
            d="M4 4h16a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"
          />
        </svg>
      </div>
    </div>
  `,
})
export class WidgetPreviewComponent {
  readonly settings = input.required<WidgetSettings>();
  protected left(): boolean {
    return this.settings().position === 'bottom-left';
  }
}

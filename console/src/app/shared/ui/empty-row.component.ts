import { ChangeDetectionStrategy, Component, input } from '@angular/core';

/**
 * A table's empty state: one muted cell across every column, holding what the page projects
 * (`<tr clEmptyRow [columns]="4">{{ 'webhooks.none' | t }}</tr>` in a `@for`'s `@empty`).
 */
@Component({
  selector: 'tr[clEmptyRow]',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<td class="muted" [attr.colspan]="columns()"><ng-content /></td>`,
})
export class EmptyRowComponent {
  readonly columns = input.required<number>();
}

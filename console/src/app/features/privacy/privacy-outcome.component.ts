import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';

import type { MessageKey } from '../../core/i18n/messages.en';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import type { Outcome } from './visitor-requests';

/** One line saying what an export or erasure did; only real results are shown as successes. */
@Component({
  selector: 'cl-privacy-outcome',
  imports: [TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @if (view(); as v) {
      <p [class]="v.tone" [attr.role]="v.tone === 'error' ? 'alert' : 'status'" data-testid="privacy-outcome">
        {{ v.key | t: { count: v.count } }}
      </p>
    }
  `,
})
export class PrivacyOutcomeComponent {
  readonly outcome = input<Outcome | null>(null);

  protected readonly view = computed(() => {
    const outcome = this.outcome();
    if (!outcome) return null;
    const line = (key: MessageKey, tone: 'ok' | 'notice' | 'error', count = 0) => ({ key, tone, count });
    switch (outcome.kind) {
      case 'exported':
        return line('privacy.exported', 'ok', outcome.rows);
      case 'erased':
        return line('privacy.erased', 'ok', outcome.rows);
      case 'emptyExport':
        return line('privacy.emptyExport', 'notice');
      case 'nothingErased':
        return line('privacy.nothingErased', 'notice');
      case 'invalid':
        return line('privacy.invalidSubject', 'error');
      case 'conversationNotFound':
        return line('privacy.conversationNotFound', 'error');
      case 'failed':
        return line(outcome.forbidden ? 'privacy.adminOnly' : 'app.error', 'error');
    }
  });
}

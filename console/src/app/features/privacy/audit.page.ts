import { ChangeDetectionStrategy, Component, computed, effect, inject, untracked } from '@angular/core';
import type { AuditEvent } from '@cloop/contracts';

import { AuthStore } from '../../core/auth/auth.store';
import { I18n } from '../../core/i18n/i18n';
import { auditActionKey, auditActorKey, auditTargetKey } from '../../core/i18n/labels';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { SiteContext } from '../../core/site/site-context';
import { EmptyRowComponent } from '../../shared/ui/empty-row.component';
import { PrivacyStore } from './privacy.store';

/** The organization's append-only audit trail (the organization of the selected site). */
@Component({
  selector: 'cl-audit-page',
  imports: [EmptyRowComponent, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    <section class="page stack">
      <h1>{{ 'audit.title' | t }}</h1>
      @if (store.forbidden()) {
        <p class="notice">{{ 'privacy.adminOnly' | t }}</p>
      } @else {
        <table data-testid="audit-trail">
          <thead>
            <tr>
              <th>#</th>
              <th>{{ 'audit.when' | t }}</th>
              <th>{{ 'audit.actor' | t }}</th>
              <th>{{ 'audit.action' | t }}</th>
              <th>{{ 'audit.target' | t }}</th>
            </tr>
          </thead>
          <tbody>
            @for (event of store.events(); track event.id) {
              <tr>
                <td>{{ event.seq }}</td>
                <td>{{ i18n.date(event.createdAt) }}</td>
                @let name = actorName(event);
                <td>{{ (auditActorKey(event.actor.kind) | t) + (name ? ' (' + name + ')' : '') }}</td>
                <td>{{ auditActionKey(event.action) | t }}</td>
                <td>
                  @if (event.target; as target) {
                    @let targetKey = auditTargetKey(target.type);
                    {{ targetKey ? (targetKey | t) : target.type.replaceAll('_', ' ') }}
                    <small class="muted" [title]="target.id">{{ target.id.slice(0, 8) }}</small>
                  }
                </td>
              </tr>
            } @empty {
              <tr clEmptyRow [columns]="5">
                {{
                  'audit.empty' | t
                }}
              </tr>
            }
          </tbody>
        </table>
        @if (store.eventsCursor() && organizationId(); as organizationId) {
          <button type="button" (click)="store.loadAudit(organizationId, true)">
            {{ 'inbox.loadMore' | t }}
          </button>
        }
      }
    </section>
  `,
})
export class AuditPage {
  protected readonly store = inject(PrivacyStore);
  private readonly sites = inject(SiteContext);
  private readonly auth = inject(AuthStore);
  protected readonly i18n = inject(I18n);
  protected readonly auditActionKey = auditActionKey;
  protected readonly auditActorKey = auditActorKey;
  protected readonly auditTargetKey = auditTargetKey;
  protected readonly organizationId = computed(() => this.sites.organization()?.id ?? null);

  constructor() {
    effect(() => {
      const organizationId = this.organizationId();
      untracked(() => organizationId && void this.store.loadAudit(organizationId));
    });
  }

  /** Who acted, beside its kind: an API key's name, or the user's own name for their own changes. */
  protected actorName(event: AuditEvent): string | null {
    // A key's changes carry its id and name (the name is a label its organization chose).
    const key = event.details['apiKey'] as { name?: unknown } | undefined;
    if (event.actor.kind === 'api_key' && typeof key?.name === 'string') return key.name;
    const me = this.auth.me()?.user;
    return event.actor.userId && me && event.actor.userId === me.id ? me.name : null;
  }
}

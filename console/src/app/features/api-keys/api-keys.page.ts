import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { RouterLink } from '@angular/router';
import {
  API_KEY_AREAS,
  type ApiKey,
  type ApiKeyArea,
  type ApiKeyScope,
  type ErrorCode,
} from '@cloop/contracts';

import { AuthStore } from '../../core/auth/auth.store';
import { managesOrganization } from '../../core/auth/roles';
import { I18n } from '../../core/i18n/i18n';
import type { MessageKey } from '../../core/i18n/messages.en';
import { TranslatePipe } from '../../core/i18n/t.pipe';
import { SiteContext } from '../../core/site/site-context';
import { ConfirmDialogComponent } from '../../shared/ui/confirm-dialog.component';
import { CopyButtonComponent } from '../../shared/ui/copy-button.component';
import { EmptyRowComponent } from '../../shared/ui/empty-row.component';
import { formValues } from '../../shared/ui/form-values';
import { ApiKeysStore } from './api-keys.store';

const DAY_MS = 86_400_000;
/** Expiry choices in days; `0` is never. */
const EXPIRY_DAYS = [0, 30, 90, 365] as const;

const areaKey = (area: ApiKeyArea): MessageKey => `apiKeys.area.${area}` as const;

const ERROR_KEYS: Partial<Record<ErrorCode, MessageKey>> = {
  VALIDATION_FAILED: 'apiKeys.error.invalid',
  API_KEY_LIMIT_REACHED: 'apiKeys.error.limit',
  FORBIDDEN: 'apiKeys.adminOnly',
};

/** The organization's API keys for integrators: create (the secret shown once), list, revoke. */
@Component({
  selector: 'cl-api-keys-page',
  imports: [EmptyRowComponent, ConfirmDialogComponent, CopyButtonComponent, RouterLink, TranslatePipe],
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './api-keys.page.html',
})
export class ApiKeysPage {
  protected readonly store = inject(ApiKeysStore);
  private readonly auth = inject(AuthStore);
  private readonly sites = inject(SiteContext);
  protected readonly i18n = inject(I18n);
  protected readonly areas = API_KEY_AREAS;
  protected readonly areaKey = areaKey;
  protected readonly expiryDays = EXPIRY_DAYS;
  protected readonly organization = this.sites.organization;
  /** Members cannot manage keys: the page says so without asking the API (nor while it is unknown). */
  protected readonly canManage = computed(() => {
    const role = this.organization()?.role;
    return role === undefined || managesOrganization(role);
  });
  /** The key the confirmation dialog is about. */
  protected readonly target = signal<ApiKey | null>(null);
  /** What the form grants per area so far (an area left out: nothing). */
  protected readonly access = signal<Partial<Record<ApiKeyArea, 'read' | 'write'>>>({});
  protected readonly scopes = computed(() =>
    this.areas.flatMap((area): ApiKeyScope[] => {
      const access = this.access()[area];
      return access ? [`${area}:${access}`] : [];
    }),
  );

  constructor() {
    void this.auth.loadMe().catch(() => undefined);
    effect(() => {
      const id = this.organization()?.id;
      const manage = this.canManage();
      untracked(() => id && manage && void this.store.load(id));
    });
  }

  protected errorKey(code: ErrorCode): MessageKey {
    return ERROR_KEYS[code] ?? 'app.error';
  }

  protected expiryKey(days: number): MessageKey {
    return days === 0 ? 'apiKeys.never' : 'apiKeys.days';
  }

  /** A scope's area and access, as the two messages its badge shows ("Inbox: read"). */
  protected scopeKeys(scope: ApiKeyScope): { area: MessageKey; access: MessageKey } {
    const [area, access] = scope.split(':') as [ApiKeyArea, 'read' | 'write'];
    return { area: areaKey(area), access: access === 'write' ? 'apiKeys.write' : 'apiKeys.read' };
  }

  protected expired(key: ApiKey): boolean {
    return key.expiresAt !== null && Date.parse(key.expiresAt) <= Date.now();
  }

  protected setAccess(area: ApiKeyArea, event: Event): void {
    const value = (event.target as HTMLSelectElement).value;
    this.access.update((access) => ({
      ...access,
      [area]: value === 'read' || value === 'write' ? value : undefined,
    }));
  }

  protected async create(event: Event): Promise<void> {
    event.preventDefault();
    const organization = this.organization();
    const values = formValues(event);
    const name = (values['name'] ?? '').trim();
    const scopes = this.scopes();
    if (!organization || !name || scopes.length === 0) return;
    const days = Number(values['expiry'] ?? 0);
    const expiresAt = days > 0 ? new Date(Date.now() + days * DAY_MS).toISOString() : null;
    if (await this.store.create(organization.id, { name, scopes, expiresAt })) {
      (event.target as HTMLFormElement).reset();
      this.access.set({});
    }
  }

  protected ask(dialog: ConfirmDialogComponent, key: ApiKey): void {
    this.target.set(key);
    dialog.open();
  }

  protected revoke(): void {
    const organization = this.organization();
    const key = this.target();
    if (organization && key) void this.store.revoke(organization.id, key.id);
    this.target.set(null);
  }
}

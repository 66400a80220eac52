import { inject, Injectable, signal } from '@angular/core';
import type { ApiKey, CreateApiKeyRequest } from '@cloop/contracts';

import { errorCode } from '../../core/http/errors';
import { Action, apiErrorCode } from '../../core/state/action';
import { ApiKeysApi } from './api-keys.api';

/** A secret just issued: shown once, until the user dismisses it (never kept anywhere else). */
export interface RevealedKey {
  name: string;
  secret: string;
}

/** One organization's API keys, and the secret of the one just created. */
@Injectable()
export class ApiKeysStore {
  private readonly api = inject(ApiKeysApi);
  private readonly action = new Action(apiErrorCode);
  private readonly keyList = signal<ApiKey[]>([]);
  private readonly loadedValue = signal(false);
  private readonly forbiddenValue = signal(false);
  private readonly revealedValue = signal<RevealedKey | null>(null);

  readonly keys = this.keyList.asReadonly();
  readonly loaded = this.loadedValue.asReadonly();
  readonly forbidden = this.forbiddenValue.asReadonly();
  readonly busy = this.action.busy;
  /** The API's code of the last failed change (`null`: none). */
  readonly error = this.action.error;
  readonly revealed = this.revealedValue.asReadonly();

  async load(organizationId: string): Promise<void> {
    this.revealedValue.set(null);
    try {
      this.keyList.set(await this.api.list(organizationId));
      this.forbiddenValue.set(false);
    } catch (error) {
      this.keyList.set([]);
      this.forbiddenValue.set(errorCode(error) === 'FORBIDDEN');
    } finally {
      this.loadedValue.set(true);
    }
  }

  create(organizationId: string, request: CreateApiKeyRequest): Promise<boolean> {
    return this.change(async () => {
      const { apiKey, secret } = await this.api.create(organizationId, request);
      this.keyList.update((keys) => [...keys, apiKey]);
      this.revealedValue.set({ name: apiKey.name, secret });
    });
  }

  revoke(organizationId: string, apiKeyId: string): Promise<boolean> {
    return this.change(async () => {
      await this.api.revoke(organizationId, apiKeyId);
      this.keyList.update((keys) => keys.filter((key) => key.id !== apiKeyId));
    });
  }

  dismissSecret(): void {
    this.revealedValue.set(null);
  }

  private change(work: () => Promise<void>): Promise<boolean> {
    return this.action.run(work);
  }
}

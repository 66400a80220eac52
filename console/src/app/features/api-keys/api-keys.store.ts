import { inject, Injectable, signal } from '@angular/core';
import type { ApiKey, CreateApiKeyRequest, ErrorCode } from '@cloop/contracts';

import { errorCode } from '../../core/http/errors';
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

  readonly keys = signal<ApiKey[]>([]);
  readonly loaded = signal(false);
  readonly forbidden = signal(false);
  readonly busy = signal(false);
  /** The API's code of the last failed change (`null`: none). */
  readonly error = signal<ErrorCode | null>(null);
  readonly revealed = signal<RevealedKey | null>(null);

  async load(organizationId: string): Promise<void> {
    this.revealed.set(null);
    try {
      this.keys.set(await this.api.list(organizationId));
      this.forbidden.set(false);
    } catch (error) {
      this.keys.set([]);
      this.forbidden.set(errorCode(error) === 'FORBIDDEN');
    } finally {
      this.loaded.set(true);
    }
  }

  create(organizationId: string, request: CreateApiKeyRequest): Promise<boolean> {
    return this.change(async () => {
      const { apiKey, secret } = await this.api.create(organizationId, request);
      this.keys.update((keys) => [...keys, apiKey]);
      this.revealed.set({ name: apiKey.name, secret });
    });
  }

  revoke(organizationId: string, apiKeyId: string): Promise<boolean> {
    return this.change(async () => {
      await this.api.revoke(organizationId, apiKeyId);
      this.keys.update((keys) => keys.filter((key) => key.id !== apiKeyId));
    });
  }

  dismissSecret(): void {
    this.revealed.set(null);
  }

  private async change(work: () => Promise<void>): Promise<boolean> {
    this.busy.set(true);
    this.error.set(null);
    try {
      await work();
      return true;
    } catch (error) {
      this.error.set(errorCode(error) ?? 'INTERNAL_ERROR');
      return false;
    } finally {
      this.busy.set(false);
    }
  }
}

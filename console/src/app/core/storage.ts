import { Injectable } from '@angular/core';
import { CONSOLE_STORAGE_KEYS } from '@cloop/contracts';

export type StorageKey = keyof typeof CONSOLE_STORAGE_KEYS;

/**
 * The console's only door to browser storage: it can touch nothing but the keys the published
 * storage policy lists (DESIGN §11). No cookies, no sessionStorage, no other keys.
 */
@Injectable({ providedIn: 'root' })
export class ConsoleStorage {
  get(key: StorageKey): string | null {
    try {
      return localStorage.getItem(CONSOLE_STORAGE_KEYS[key]);
    } catch {
      return null;
    }
  }

  set(key: StorageKey, value: string | null): void {
    try {
      if (value === null) localStorage.removeItem(CONSOLE_STORAGE_KEYS[key]);
      else localStorage.setItem(CONSOLE_STORAGE_KEYS[key], value);
    } catch {
      // Storage full or blocked: the app still works for this tab.
    }
  }
}

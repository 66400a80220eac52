import { TestBed } from '@angular/core/testing';
import { provideRouter, type Route, Router, type UrlSegment, UrlTree } from '@angular/router';
import { provideHttpClient } from '@angular/common/http';
import { CONSOLE_STORAGE_KEYS } from '@cloop/contracts';

import { signedInGuard, signedOutGuard } from './guards';

function run(guard: typeof signedInGuard): unknown {
  TestBed.configureTestingModule({ providers: [provideRouter([]), provideHttpClient()] });
  return TestBed.runInInjectionContext(() => guard({} as Route, [] as UrlSegment[]));
}

describe('route guards', () => {
  beforeEach(() => localStorage.clear());

  it('lets a signed-in user into the console', () => {
    localStorage.setItem(CONSOLE_STORAGE_KEYS.refreshToken, 'r1');
    expect(run(signedInGuard)).toBe(true);
  });

  it('sends a signed-out user to the sign-in page', () => {
    const result = run(signedInGuard);
    expect(result).toBeInstanceOf(UrlTree);
    expect(TestBed.inject(Router).serializeUrl(result as UrlTree)).toBe('/sign-in');
  });

  it('sends a signed-in user away from the sign-in page to the inbox', () => {
    localStorage.setItem(CONSOLE_STORAGE_KEYS.refreshToken, 'r1');
    const result = run(signedOutGuard);
    expect(TestBed.inject(Router).serializeUrl(result as UrlTree)).toBe('/inbox');
  });

  it('shows the sign-in page to a signed-out user', () => {
    expect(run(signedOutGuard)).toBe(true);
  });
});

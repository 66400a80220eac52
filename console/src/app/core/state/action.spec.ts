import { HttpErrorResponse } from '@angular/common/http';

import { Action, apiErrorCode } from './action';

describe('Action', () => {
  it('is busy while the work runs and reports success', async () => {
    const action = new Action(apiErrorCode);
    let release!: () => void;
    const running = action.run(() => new Promise<void>((resolve) => (release = resolve)));
    expect(action.busy()).toBe(true);
    release();
    await expect(running).resolves.toBe(true);
    expect(action.busy()).toBe(false);
    expect(action.error()).toBeNull();
  });

  it('keeps what the failure was until the next try', async () => {
    const action = new Action(apiErrorCode);
    const refused = new HttpErrorResponse({ status: 409, error: { code: 'WEBHOOK_LIMIT_REACHED' } });
    await expect(action.run(jest.fn().mockRejectedValue(refused))).resolves.toBe(false);
    expect(action.error()).toBe('WEBHOOK_LIMIT_REACHED');
    expect(action.busy()).toBe(false);
    await action.run(() => Promise.reject(new Error('offline')));
    expect(action.error()).toBe('INTERNAL_ERROR');
    await action.run(() => Promise.resolve());
    expect(action.error()).toBeNull();
  });

  it('shows a failure found before any request like a failed run, until the next try', async () => {
    const action = new Action(apiErrorCode);
    action.fail('VALIDATION_FAILED');
    expect(action.error()).toBe('VALIDATION_FAILED');
    expect(action.busy()).toBe(false);
    await action.run(() => Promise.resolve());
    expect(action.error()).toBeNull();
  });
});

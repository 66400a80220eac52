// The one runtime import of contracts in the widget folder: a test comparing the copies, never shipped.
// eslint-disable-next-line @typescript-eslint/no-restricted-imports
import * as contracts from '@cloop/contracts';

import * as copies from './contract-constants';

describe('constants copied from the contracts', () => {
  it('match their source', () => {
    expect(copies.WIDGET_API).toBe(`${contracts.API_PREFIX}/widget`);
    expect(copies.REALTIME_PATH).toBe(contracts.REALTIME_PATH);
    expect(copies.CLOSE_ERASED).toBe(contracts.REALTIME_CLOSE_CODES.erased);
    expect(copies.visitorKey('pk_x')).toBe(contracts.widgetVisitorStorageKey('pk_x'));
    expect(copies.openKey('pk_x')).toBe(contracts.widgetOpenStorageKey('pk_x'));
    expect(copies.MESSAGE_MAX_LENGTH).toBe(contracts.MESSAGE_BODY_MAX_LENGTH);
  });
});

import { route } from '@cloop/client/route';

describe('route', () => {
  it('fills each placeholder of a documented path', () => {
    expect(route('/api/v1/sites/{siteId}/webhooks/{webhookId}', { siteId: 's1', webhookId: 'w2' })).toBe(
      '/api/v1/sites/s1/webhooks/w2',
    );
    expect(route('/api/v1/auth/login')).toBe('/api/v1/auth/login');
  });

  it('encodes a value so it cannot reach another path', () => {
    expect(route('/api/v1/sites/{siteId}', { siteId: '../auth/me' })).toBe('/api/v1/sites/..%2Fauth%2Fme');
  });

  it('accepts only the paths and placeholders the OpenAPI document has (checked by the compiler)', () => {
    // @ts-expect-error: the API serves no such path
    expect(route('/api/v1/nowhere')).toBe('/api/v1/nowhere');
    // @ts-expect-error: the path's placeholder is `siteId`
    expect(route('/api/v1/sites/{siteId}', { id: 'x' })).toBe('/api/v1/sites/');
  });
});

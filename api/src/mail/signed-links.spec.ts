import { SignedLinks } from './signed-links';

describe('signed links', () => {
  const links = new SignedLinks('a-secret-long-enough-for-the-tests-0123456789');
  const inAnHour = new Date(Date.now() + 3_600_000);

  it('reads back the claims of a token it made, for its purpose only', () => {
    const token = links.sign('invitation', { i: 'abc', m: 'grace@example.test' }, inAnHour);
    expect(links.verify('invitation', token)).toEqual({ i: 'abc', m: 'grace@example.test' });
    expect(links.verify('verify-email', token)).toBeNull();
  });

  it('refuses a token with a changed payload or signature, or made with another secret', () => {
    const token = links.sign('invitation', { m: 'grace@example.test' }, inAnHour);
    const [payload = '', signature = ''] = token.split('.');
    const forged = Buffer.from(
      Buffer.from(payload, 'base64url').toString().replace('grace', 'mallory'),
    ).toString('base64url');
    expect(links.verify('invitation', `${forged}.${signature}`)).toBeNull();
    expect(links.verify('invitation', `${payload}.${signature.slice(0, -1)}A`)).toBeNull();
    expect(
      new SignedLinks('another-secret-long-enough-0123456789abcdef').verify('invitation', token),
    ).toBeNull();
    expect(links.verify('invitation', 'not-a-token')).toBeNull();
  });

  it('refuses an expired token', () => {
    const token = links.sign('invitation', { i: 'abc' }, new Date(Date.now() + 1_000));
    expect(links.verify('invitation', token, Date.now() + 2_000)).toBeNull();
  });
});

import { assertIssuerAllowed } from './issuer-url';

describe('assertIssuerAllowed', () => {
  it.each([
    'http://login.example.com',
    'https://127.0.0.1/realms/staff',
    'https://[::1]:8443',
    'https://10.0.0.5',
    'https://user:secret@login.example.com',
    'https://login.example.com/?tenant=x',
  ])('refuses %s on a server without private networks', (issuer) => {
    expect(() => assertIssuerAllowed(issuer, false)).toThrow(
      expect.objectContaining({ code: 'VALIDATION_FAILED' }) as Error,
    );
  });

  it('accepts https issuers, and http or private ones only where private networks are allowed', () => {
    expect(() => assertIssuerAllowed('https://login.microsoftonline.com/tenant/v2.0', false)).not.toThrow();
    expect(() => assertIssuerAllowed('http://127.0.0.1:4000', true)).not.toThrow();
    expect(() => assertIssuerAllowed('ftp://login.example.com', true)).toThrow();
  });
});

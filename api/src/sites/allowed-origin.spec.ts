import { normalizeOrigin } from './allowed-origin';

describe('normalizeOrigin', () => {
  it.each([
    ['https://example.com', 'https://example.com'],
    ['https://Shop.Example.COM', 'https://shop.example.com'],
    ['http://localhost:8080', 'http://localhost:8080'],
    ['https://example.com:443', 'https://example.com'],
    ['http://127.0.0.1:3000', 'http://127.0.0.1:3000'],
    ['https://[::1]:8443', 'https://[::1]:8443'],
    ['https://bücher.de', 'https://xn--bcher-kva.de'],
  ])('accepts %s as %s', (input, expected) => {
    expect(normalizeOrigin(input)).toBe(expected);
  });

  it.each([
    'example.com',
    'ftp://example.com',
    'https://example.com/',
    'https://example.com/path',
    'https://example.com?x=1',
    'https://example.com#top',
    'https://user:pw@example.com',
    'https://example.com:99999',
    'https://*.example.com',
    'javascript:alert(1)',
    'https://',
    '',
  ])('refuses %s', (input) => {
    expect(normalizeOrigin(input)).toBeNull();
  });
});

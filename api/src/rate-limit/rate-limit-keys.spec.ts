import { clientAddress } from './rate-limit-keys';

describe('clientAddress', () => {
  it('keeps IPv4 addresses, including IPv4-mapped IPv6 ones', () => {
    expect(clientAddress('203.0.113.7')).toBe('203.0.113.7');
    expect(clientAddress('::ffff:203.0.113.7')).toBe('203.0.113.7');
  });

  it('treats every address of one IPv6 /64 as one client', () => {
    const a = clientAddress('2001:db8:85a3:1234:aaaa:bbbb:cccc:dddd');
    expect(a).toBe('2001:db8:85a3:1234::/64');
    expect(clientAddress('2001:0db8:85a3:1234::1')).toBe(a);
    expect(clientAddress('2001:db8:85a3:1235::1')).not.toBe(a);
  });

  it('expands compressed addresses before taking the prefix', () => {
    expect(clientAddress('2001:db8::1')).toBe('2001:db8:0:0::/64');
    expect(clientAddress('::1')).toBe('0:0:0:0::/64');
  });
});

import { createHmac } from 'node:crypto';
import { isIPv6 } from 'node:net';

import { Inject, Injectable } from '@nestjs/common';

import { APP_CONFIG, type ResolvedConfig } from '../config/config.module';

/**
 * Counter keys that hold neither emails nor IP addresses in the clear (they may sit in Redis), and
 * that treat one IPv6 /64 — what a single subscriber gets — as one client.
 */
@Injectable()
export class RateLimitKeys {
  private readonly secret: Buffer;

  constructor(@Inject(APP_CONFIG) config: ResolvedConfig) {
    this.secret = createHmac('sha256', config.jwtSecret).update('cloop rate-limit keys').digest();
  }

  forClient(scope: string, ip: string, ...parts: string[]): string {
    const digest = createHmac('sha256', this.secret)
      .update([clientAddress(ip), ...parts].join('\n'))
      .digest('base64url');
    return `${scope}:${digest}`;
  }

  /** A key for something other than a client, such as an e-mail address, hashed the same way. */
  forSubject(scope: string, ...parts: string[]): string {
    const digest = createHmac('sha256', this.secret).update(parts.join('\n')).digest('base64url');
    return `${scope}:${digest}`;
  }
}

/** The address a limit applies to: IPv4 as is, IPv6 reduced to its /64 prefix. */
export function clientAddress(ip: string): string {
  if (!isIPv6(ip)) return ip;
  const mappedIpv4 = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mappedIpv4?.[1]) return mappedIpv4[1];
  const [head = '', tail = ''] = ip.split('::');
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const missing = ip.includes('::') ? 8 - headGroups.length - tailGroups.length : 0;
  const groups = [...headGroups, ...Array<string>(missing).fill('0'), ...tailGroups];
  return `${groups
    .slice(0, 4)
    .map((group) => group.toLowerCase().replace(/^0+(?=.)/, ''))
    .join(':')}::/64`;
}

import { isIP } from 'node:net';

import { DomainError } from '../common/domain-error';
import { isPrivateAddress } from '../common/private-address';

/**
 * Cloop fetches the issuer's documents from the server: plain http only where private networks
 * are allowed (`CRAWL_PRIVATE_NETWORKS`, the crawler's and webhooks' switch: loopback test
 * providers, intranet ones); otherwise https.
 */
export function assertIssuerAllowed(issuer: string, allowPrivateNetworks: boolean): void {
  const url = new URL(issuer);
  if (url.protocol !== 'https:' && !(allowPrivateNetworks && url.protocol === 'http:')) {
    throw new DomainError('VALIDATION_FAILED', 'The issuer must be an https URL', {
      details: ['issuer must be an https URL'],
    });
  }
  const literal = url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!allowPrivateNetworks && isIP(literal) !== 0 && isPrivateAddress(literal)) {
    throw new DomainError('VALIDATION_FAILED', 'The issuer must not be a private address', {
      details: ['issuer must not be a loopback or private-network address'],
    });
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new DomainError('VALIDATION_FAILED', 'The issuer is a plain URL', {
      details: ['issuer must have no credentials, query or fragment'],
    });
  }
}

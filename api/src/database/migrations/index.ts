import { AccountsOrganizationsSites1764403200000 } from './1764403200000-accounts-organizations-sites';
import { Conversations1764489600000 } from './1764489600000-conversations';
import { PrivacyAudit1764576000000 } from './1764576000000-privacy-audit';

/** In order. Listed explicitly so the compiled app needs no file globbing to find them. */
export const MIGRATIONS = [
  AccountsOrganizationsSites1764403200000,
  Conversations1764489600000,
  PrivacyAudit1764576000000,
];

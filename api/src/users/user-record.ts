import type { MailLocale } from '@cloop/contracts';

/**
 * A stored user as other modules see it: plain fields, no mapping. The entity stays this module's
 * own (docs/architecture.md, "Module boundaries"); it implements this, so the two cannot drift.
 */
export interface UserRecord {
  id: string;
  /** Always lower-case. */
  email: string;
  passwordHash: string;
  name: string;
  /** When the address was proven; `null`: never (accounts from before e-mail, or not yet). */
  emailVerifiedAt: Date | null;
  locale: MailLocale;
  leadNotifications: boolean;
  /** Access tokens issued before this instant are refused. */
  tokensValidAfter: Date;
  createdAt: Date;
  updatedAt: Date;
}

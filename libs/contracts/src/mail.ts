import type { Role } from './organizations';

/** The languages Cloop writes e-mail in. */
export const MAIL_LOCALES = ['en', 'fi'] as const;
export type MailLocale = (typeof MAIL_LOCALES)[number];

/** Whether this server sends e-mail (`SMTP_URL` and `MAIL_FROM` are set). */
export interface MailStatus {
  enabled: boolean;
}

/** What a signed-in user chooses about the e-mail Cloop sends them. */
export interface MailPreferences {
  /** An e-mail when a visitor of one of their organizations' sites asks for contact or leaves an address. */
  leadNotifications: boolean;
  /** The language of their e-mail. */
  locale: MailLocale;
}

export interface PasswordResetRequest {
  email: string;
}

export interface PasswordResetConfirmRequest {
  token: string;
  newPassword: string;
}

export interface VerifyEmailRequest {
  token: string;
}

/** A signed link from an invitation e-mail (or passed on by an owner when e-mail is off). */
export interface AcceptInvitationLinkRequest {
  token: string;
}

/** An invitation waiting for the signed-in user to accept or decline it. */
export interface PendingInvitation {
  id: string;
  organizationId: string;
  organizationName: string;
  role: Role;
  /** Name of the owner who invited them; `null` once that account is gone. */
  invitedBy: string | null;
  invitedAt: string;
  expiresAt: string;
}

/** Password reset links work for this long. */
export const PASSWORD_RESET_TTL_MINUTES = 30;

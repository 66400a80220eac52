import type { MailLocale } from './mail';
import type { Role } from './organizations';

export const PASSWORD_MIN_LENGTH = 8;
export const PASSWORD_MAX_LENGTH = 128;
export const NAME_MAX_LENGTH = 100;
export const EMAIL_MAX_LENGTH = 254;

export interface SignupRequest {
  email: string;
  password: string;
  name: string;
  /** The language of their e-mail; English by default. */
  locale?: MailLocale;
  /**
   * The signed link of an invitation to this email: signing up with it proves the address and
   * joins that organization.
   */
  invitationToken?: string;
}

export interface LoginRequest {
  email: string;
  password: string;
}

export interface RefreshRequest {
  refreshToken: string;
}

export interface LogoutRequest {
  refreshToken: string;
}

export interface ChangePasswordRequest {
  currentPassword: string;
  newPassword: string;
}

export interface User {
  id: string;
  email: string;
  name: string;
  createdAt: string;
  /** The address was proven (a verification or invitation link was opened). */
  emailVerified: boolean;
}

/** Returned by signup, login, refresh and password change. */
export interface AuthResponse {
  accessToken: string;
  /** ISO time at which `accessToken` stops being accepted. */
  accessTokenExpiresAt: string;
  refreshToken: string;
  refreshTokenExpiresAt: string;
  user: User;
}

export interface OrganizationMembership {
  id: string;
  name: string;
  role: Role;
}

export interface MeResponse {
  user: User;
  organizations: OrganizationMembership[];
}

import type { Role } from '@cloop/contracts';

/**
 * The console's one role check: owners and admins manage an organization's sites, keys, webhooks
 * and conversations; members work in them. The API enforces the same; the console only hides what
 * would be refused.
 */
export const managesOrganization = (role: Role): boolean => role === 'owner' || role === 'admin';

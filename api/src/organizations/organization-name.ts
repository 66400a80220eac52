/** A new account's own organization is named after its owner until someone renames it. */
export const defaultOrganizationName = (ownerName: string): string => `${ownerName}'s organization`;

/** What such an organization is called once the person it is named after deletes their account. */
export const UNNAMED_ORGANIZATION = 'Organization';

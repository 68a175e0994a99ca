/** Emails are compared case-insensitively: stored lower-cased and trimmed, unique across the deployment. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

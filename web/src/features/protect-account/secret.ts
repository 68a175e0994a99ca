/** The key of an authenticator app set-up (the client package's `totpSecretOf`), in groups of four for reading aloud. */
export const groupsOfFour = (secret: string): string[] => secret.match(/.{1,4}/g) ?? [];

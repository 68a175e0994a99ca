/** The key of an authenticator app set-up, from its otpauth:// URI, in groups of four for reading aloud. */
export function secretOf(otpauthUri: string): string | null {
  try {
    return new URL(otpauthUri).searchParams.get('secret');
  } catch {
    return null;
  }
}

export const groupsOfFour = (secret: string): string[] => secret.match(/.{1,4}/g) ?? [];

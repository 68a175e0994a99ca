/**
 * A URL reduced to scheme, host and port, for log lines and start-up notices: user, password,
 * path and query are dropped because any of them may carry a credential.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.protocol}//${parsed.host}`;
  } catch {
    return '(unparsable URL)';
  }
}

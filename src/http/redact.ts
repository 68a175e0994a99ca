/** Transaction ids, invitation and password reset tokens travel in URLs; logs and error messages show them masked. */
export function redactUrl(url: string): string {
  return url
    .replace(/(\/transactions\/)[^/?#]+/g, '$1[redacted]')
    .replace(/(\/invitations\/)[^/?#]+/g, '$1[redacted]')
    // The API's /password-resets/ and the emailed page's /password-reset/.
    .replace(/(\/password-resets?\/)[^/?#]+/g, '$1[redacted]')
    .replace(/([?&](token|id)=)[^&#]+/g, '$1[redacted]');
}

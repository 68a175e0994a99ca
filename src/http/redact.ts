/** Transaction ids, invitation and password reset tokens travel in URLs; logs and error messages show them masked. */
export function redactUrl(url: string): string {
  return url
    // Any case and repeated slashes: a router may be lenient where this is not.
    .replace(/(\/transactions\/+)[^/?#]+/gi, '$1[redacted]')
    .replace(/(\/invitations\/+)[^/?#]+/gi, '$1[redacted]')
    // The API's /password-resets/ and the emailed page's /password-reset/.
    .replace(/(\/password-resets?\/+)[^/?#]+/gi, '$1[redacted]')
    .replace(/([?&](token|id)=)[^&#]+/gi, '$1[redacted]');
}

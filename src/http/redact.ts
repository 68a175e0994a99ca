/** Transaction ids, invitation and password reset tokens travel in URLs; logs and error messages show them masked. */
export function redactUrl(url: string): string {
  // The router decodes %-escapes before matching, so an encoded path reaches the same route.
  let decoded = url;
  try {
    decoded = decodeURIComponent(url);
  } catch { /* not valid percent-encoding: it matched no capability route either */ }
  return decoded
    // Any case and repeated slashes: a router may be lenient where this is not.
    .replace(/(\/transactions\/+)[^/?#]+/gi, '$1[redacted]')
    .replace(/(\/invitations\/+)[^/?#]+/gi, '$1[redacted]')
    // The API's /password-resets/ and the emailed page's /password-reset/.
    .replace(/(\/password-resets?\/+)[^/?#]+/gi, '$1[redacted]')
    .replace(/([?&](token|id|setup[-_]?token)=)[^&#]+/gi, '$1[redacted]')
    // The set-up link carries its token in the fragment, which browsers do not send; a client may.
    .replace(/(#.*?setup[-_]?token=)[^&]+/gi, '$1[redacted]');
}

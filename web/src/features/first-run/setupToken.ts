/**
 * The setup token of the link the server prints at start (`/first-run#setup-token=…`). It travels in
 * the fragment, which browsers never send, so no request log holds it; the page takes it once and
 * clears the address bar, so it is neither in the history nor on screen.
 */
export function takeSetupTokenFromLink(): string {
  const token = new URLSearchParams(location.hash.slice(1)).get('setup-token') ?? '';
  if (location.hash) history.replaceState(history.state, '', location.pathname + location.search);
  return token;
}

/** Whether this address holds a setup token (the link as printed before the app had its own page: `/#setup-token=…`). */
export const linkHasSetupToken = (): boolean => new URLSearchParams(location.hash.slice(1)).has('setup-token');

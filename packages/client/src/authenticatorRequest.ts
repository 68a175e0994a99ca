/**
 * What an authenticator reads from a request's context, the same in every authenticator: where the
 * member finds the number to type. A request names what approving does in `action`; a server too old
 * to send it still has `purpose`, and an action this version does not know reads as a sign-in.
 */
import type { AuthenticatorRequest } from './client.ts';

/** The set-up screen (pairing), the Twofold page where the member makes a change, or the sign-in screen. */
export type NumberScreen = 'pairing' | 'change' | 'sign_in';

const CHANGES = new Set(['password_change', 'password_reset', 'confirm_identity']);

export function numberScreenOf(request: Pick<AuthenticatorRequest, 'action' | 'purpose'>): NumberScreen {
  const action = request.action ?? request.purpose;
  if (action === 'pairing') return 'pairing';
  return CHANGES.has(action) ? 'change' : 'sign_in';
}

/**
 * The API client of the client package (`@twofold/client`, typed from the server's OpenAPI document).
 * The session is an HttpOnly cookie the browser sends by itself: no token ever reaches this code.
 */
import { createTwofoldClient } from '@twofold/client';

export const api = createTwofoldClient({ baseUrl: '', credentials: 'same-origin' });

export { unwrap } from '@twofold/client';
export type { MethodId, Transaction, TransactionFactor } from '@twofold/client';

/**
 * The open sign-in transaction of this tab. Its id is kept in sessionStorage so a reload resumes the
 * step the member was at; it is no credential alone, since the server accepts it only with the
 * HttpOnly cookie that binds it to this browser. The session itself is never visible to scripts.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { getTransaction } from '@twofold/client';
import { api, type Transaction } from '../../api/client.ts';
import { navigate } from '../../app/router.ts';
import { accountPaths } from '../account/paths.ts';
import { meKey } from '../account/queries.ts';
import { protectAccountPaths } from '../protect-account/paths.ts';
import { signInPaths } from './paths.ts';

const STORAGE_KEY = 'twofold.transaction';
const RETURN_KEY = 'twofold.afterTransaction';

/**
 * Where a completed transaction started from a page (a password change on the account page) returns;
 * read once.
 */
function takeReturnPath(): string | null {
  try {
    const path = sessionStorage.getItem(RETURN_KEY);
    sessionStorage.removeItem(RETURN_KEY);
    return path;
  } catch {
    return null;
  }
}

export function rememberTransaction(id: string | null): void {
  try {
    if (id) sessionStorage.setItem(STORAGE_KEY, id);
    else sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Without storage a reload starts the sign-in again; nothing else changes.
  }
}

export function rememberedTransaction(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

export const transactionKey = (id: string) => ['transaction', id] as const;

export function useTransaction(id: string | null) {
  return useQuery({
    queryKey: transactionKey(id ?? ''),
    queryFn: () => getTransaction(api, id ?? ''),
    enabled: id !== null,
    staleTime: Infinity,
  });
}

/** Where a transaction in this state continues. */
export function pathFor(transaction: Transaction): string {
  switch (transaction.state) {
    case 'verify': return signInPaths.verify;
    case 'setup': return protectAccountPaths.protectAccount;
    // A password reset ends with the new password and no session: the member signs in with it.
    case 'complete': return takeReturnPath() ?? (transaction.session ? accountPaths.account : `${signInPaths.signIn}?done=password`);
    default: return signInPaths.verify;
  }
}

/** Goes on with a transaction a first step answered (sign-in, invitation, password reset). */
export function useContinueWith(returnTo: string | null = null) {
  const client = useQueryClient();
  return (transaction: Transaction) => {
    client.setQueryData(transactionKey(transaction.id), transaction);
    rememberTransaction(transaction.state === 'complete' ? null : transaction.id);
    try {
      if (returnTo && transaction.state !== 'complete') sessionStorage.setItem(RETURN_KEY, returnTo);
      else sessionStorage.removeItem(RETURN_KEY);
    } catch {
      // Then the member lands on their account or the sign-in page.
    }
    if (transaction.state === 'complete') void client.invalidateQueries({ queryKey: meKey });
    navigate(pathFor(transaction));
  };
}

/** Keeps a step's answer as the transaction's current view, and forgets a finished one. */
export function useTransactionUpdate() {
  const client = useQueryClient();
  return (transaction: Transaction) => {
    client.setQueryData(transactionKey(transaction.id), transaction);
    if (transaction.state === 'complete') {
      rememberTransaction(null);
      void client.invalidateQueries({ queryKey: meKey });
    }
  };
}

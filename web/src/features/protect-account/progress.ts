/**
 * Where a set-up stands, from the transaction alone (so a reload resumes it): the proof that the
 * member holds a factor when the organization switched off all of theirs, then the primary method
 * until a factor of it is confirmed, then the optional backups, then Activate.
 */
import type { MethodId, Transaction } from '../../api/client.ts';

export type Phase = 'proof' | 'primary' | 'backup' | 'activate';

const BACKUPS_DONE = 'twofold.backupsDone';

export function primaryMethodOf(transaction: Transaction): MethodId {
  return transaction.setup?.primaryMethod ?? transaction.setup?.allowedMethods[0] ?? 'totp';
}

export function confirmedMethods(transaction: Transaction): MethodId[] {
  return transaction.factors.filter((factor) => factor.confirmed).map((factor) => factor.type);
}

export function backupMethods(transaction: Transaction): MethodId[] {
  const primary = primaryMethodOf(transaction);
  const done = confirmedMethods(transaction);
  return (transaction.setup?.allowedMethods ?? []).filter((method) => method !== primary && !done.includes(method));
}

export function phaseOf(transaction: Transaction, backupsDone: boolean): Phase {
  if (transaction.setup?.proofRequired) return 'proof';
  if (!confirmedMethods(transaction).includes(primaryMethodOf(transaction))) return 'primary';
  if (!backupsDone && backupMethods(transaction).length > 0) return 'backup';
  return 'activate';
}

export function backupsDoneFor(transactionId: string): boolean {
  try {
    return sessionStorage.getItem(BACKUPS_DONE) === transactionId;
  } catch {
    return false;
  }
}

export function markBackupsDone(transactionId: string): void {
  try {
    sessionStorage.setItem(BACKUPS_DONE, transactionId);
  } catch {
    // A reload then shows the backup step again: harmless.
  }
}

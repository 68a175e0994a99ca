/**
 * Where a set-up stands, from the transaction alone (so a reload resumes it), as the client package's
 * `nextStep` decides it for every client: the proof that the member holds a factor when the
 * organization switched off all of theirs, then the required (primary) method until a factor of it is
 * confirmed, then the optional backups, then Activate. Only whether the member went past the backups
 * is this tab's own, kept in sessionStorage.
 */
import { confirmedMethods } from '@twofold/client';
import type { MethodId, Transaction } from '../../api/client.ts';
import { stepOf } from '../sign-in/steps.ts';

export { confirmedMethods };

export type Phase = 'proof' | 'primary' | 'backup' | 'activate';

const BACKUPS_DONE = 'twofold.backupsDone';

/** The method the progress names first: the one the set-up requires (the primary method where it can be set up). */
export function primaryMethodOf(transaction: Transaction): MethodId {
  return transaction.setup?.required[0] ?? transaction.setup?.primaryMethod ?? transaction.setup?.allowedMethods[0] ?? 'totp';
}

/** The backups the member may add now (none before the required method is confirmed). */
export function backupMethods(transaction: Transaction): MethodId[] {
  const step = stepOf(transaction);
  return step.kind === 'choose-backup' ? [...step.methods] : [];
}

export function phaseOf(transaction: Transaction, backupsDone: boolean): Phase {
  const step = stepOf(transaction, backupsDone);
  switch (step.kind) {
    // In a set-up, verification is the proof.
    case 'verify': return 'proof';
    case 'set-up': return 'primary';
    case 'choose-backup': return 'backup';
    default: return 'activate';
  }
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

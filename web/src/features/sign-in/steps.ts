/**
 * The website's use of the client package's steps: what the site can carry out, so that the package's
 * `nextStep` decides for these pages what it decides for the Technician Console's walk (which factors
 * are offered, the suggested one, the set-up's next method, the backups, Activate).
 */
import { nextStep, type NextStep, type StepCapabilities, type Transaction } from '@twofold/client';

export const websiteCapabilities: StepCapabilities = {
  // The sign-in page shows a push request's number and waits on the long-poll (PushSignIn).
  push: true,
  // The proof of a switched-off method ("Confirm it's you") takes a code or a recovery code only.
  pushProof: false,
  // "Protect your account" pairs the authenticator app (PushSetUp).
  pushPairing: true,
};

/** What `transaction` needs now on these pages; `backupsDone` once the member went past the backups. */
export const stepOf = (transaction: Transaction, backupsDone = false): NextStep =>
  nextStep(transaction, { ...websiteCapabilities, backupsDone });

/**
 * What the sign-in walk asks its caller, and what it tells them. A terminal, a desktop console or a
 * web page implements these; the walk decides which to ask, in what order, and what the server's
 * answers mean.
 */
import type { MethodId, NewFactor, Transaction, TransactionFactor } from './client.ts';
import type { TwofoldProblem } from './problem.ts';

/** Why a code is asked for: to sign in (or confirm a password change), to confirm a method being set up, or to prove a switched-off one. */
export type CodePurpose = 'verify' | 'confirm' | 'proof';

export interface FactorChoice {
  readonly transaction: Transaction;
  /** The factors to choose from, the server's order (primary method first); locked ones included, marked. */
  readonly factors: readonly TransactionFactor[];
  /** The one the server suggests (`defaultFactorId`), when it is in the list and not locked. */
  readonly suggested: TransactionFactor | null;
  /** The member has unused recovery codes and may type one instead. */
  readonly recoveryAvailable: boolean;
  /** `verify`, or `proof` when a set-up first needs a code from a switched-off method. */
  readonly purpose: 'verify' | 'proof';
  /** Why the choice is asked again (the factor chosen was locked, or could not be sent to). */
  readonly problem: TwofoldProblem | null;
}

export type FactorAnswer =
  | { readonly kind: 'factor'; readonly factorId: string }
  | { readonly kind: 'recovery-code'; readonly code: string };

export interface CodeRequest {
  readonly transaction: Transaction;
  readonly factor: Pick<TransactionFactor, 'id' | 'type' | 'label'>;
  readonly purpose: CodePurpose;
  /** For a text message or email: until when the code just sent is valid (null when none was sent now). */
  readonly sentUntil: string | null;
  /** A new code can be sent (text message, email). */
  readonly canResend: boolean;
  /** Another method may be chosen instead (in verification, with more than one method). */
  readonly canChooseAnother: boolean;
  /**
   * Why the code is asked again: `invalid_code` (with `attemptsRemaining`), `rate_limited` (a resend
   * too soon, `retryAfterSeconds`), `delivery_failed`; null the first time.
   */
  readonly problem: TwofoldProblem | null;
}

export type CodeAnswer =
  | { readonly kind: 'code'; readonly code: string }
  | { readonly kind: 'resend' }
  | { readonly kind: 'another-method' };

/** An authenticator app being set up: what to scan or type into it. */
export interface AuthenticatorSetup {
  readonly transaction: Transaction;
  readonly factor: NewFactor;
  /** The `otpauth://` URI the QR code holds. */
  readonly otpauthUri: string;
  /** The key as text (base32), for apps that cannot scan. */
  readonly secret: string;
  /** The server's QR code as SVG, for clients that can draw it. */
  readonly qrCodeSvg: string | null;
}

/**
 * An authenticator app notification (push) under way: the number the member types into the app
 * (number matching). The walk calls {@link SignInPrompts.showPushNumber} with it while it waits.
 */
export interface PushPrompt {
  readonly transaction: Transaction;
  readonly factor: TransactionFactor;
  readonly number: string;
  readonly expiresAt: string | null;
  /** `pairing` when the number confirms an authenticator being set up; absent for a sign-in (or password change). */
  readonly purpose?: 'pairing';
}

/** Push being set up: the single-use link (valid ten minutes) that pairs an authenticator, and its QR code. */
export interface PushPairing {
  readonly transaction: Transaction;
  readonly factor: NewFactor;
  /** `<origin>/authenticator#pair=<token>`: opened on the device, or given to `twofold authenticator pair`. */
  readonly pairingLink: string;
  /** The server's QR code of the link, as SVG. */
  readonly qrCodeSvg: string | null;
  readonly expiresAt: string | null;
}

/**
 * How to carry out a push approval on the server: send it, show its number, wait for the member's
 * answer, and return the transaction that answer left (complete, or still in verify after a denial).
 * The walk has a built-in one (`pushThroughApi`, used when the prompts have `showPushNumber`); a client
 * passes its own to carry push out another way (a test double, a user interface with its own wait).
 */
export type PushApproval = (step: {
  readonly transaction: Transaction;
  readonly factor: TransactionFactor;
  readonly showNumber: (prompt: Omit<PushPrompt, 'transaction' | 'factor'>) => void;
  readonly signal?: AbortSignal;
}) => Promise<Transaction>;

export interface SignInPrompts {
  /** Which factor to verify with, or a recovery code instead. */
  chooseFactor(choice: FactorChoice): Promise<FactorAnswer>;
  /** A code from `factor`, a new one sent, or (in verification) another method. */
  askCode(request: CodeRequest): Promise<CodeAnswer>;
  /** Set-up of text messages: the phone number (E.164; `problem` is `validation_failed` when the last one was refused). */
  askPhoneNumber(request: { readonly transaction: Transaction; readonly problem: TwofoldProblem | null }): Promise<string>;
  /** Set-up of an authenticator app: show the QR code and the key before the code is asked. */
  showAuthenticatorSetup(setup: AuthenticatorSetup): Promise<void> | void;
  /** Set-up, once the required methods are confirmed: a backup method to add, or null for none. Absent: none. */
  chooseBackup?(request: { readonly transaction: Transaction; readonly methods: readonly MethodId[] }): Promise<MethodId | null>;
  /** Set-up: the one-time setup code an administrator issued (`setupCodeRequired`). */
  askSetupCode?(request: { readonly transaction: Transaction; readonly problem: TwofoldProblem | null }): Promise<string>;
  /** After Activate: the member's new recovery codes, shown this once. */
  showRecoveryCodes?(codes: readonly string[]): Promise<void> | void;
  /** An authenticator app notification was sent: the number to type into the app. */
  showPushNumber?(prompt: PushPrompt): void;
  /** Set-up of push: show the pairing link and its QR code; the walk then waits for the authenticator. Absent: push is not set up here. */
  showPushPairing?(pairing: PushPairing): Promise<void> | void;
}

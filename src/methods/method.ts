/**
 * What every second-factor method implements. A method brings its own enrolment (what it needs to be
 * bound, what it keeps), its own challenge (send a code, or nothing for an app that makes its own) and
 * its own typed response (a code today; a signed approval or assertion for methods to come), so a use
 * case asks the method rather than testing the factor's type. Methods are looked up by id in the
 * registry; the ids, and the API's enums and enrolment fields, come from the catalogue and the registry.
 */
import type { TProperties } from '@sinclair/typebox';
import type { Expression, ExpressionBuilder, SqlBool, Updateable } from 'kysely';
import type { BuiltMethodId } from '../core/methodCatalogue.ts';
import type { ClientInfo } from '../core/model.ts';
import type { Context } from '../services/context.ts';
import type { Db } from '../storage/database.ts';
import type { Database, FactorRow, FactorsTable } from '../storage/schema.ts';

/** What the member sent to enrol a factor: only the fields the method declares are its to read. */
export type EnrolmentDetails = Readonly<Record<string, string | undefined>>;

export interface EnrolRequest {
  readonly factorId: string;
  readonly organizationName: string;
  readonly memberEmail: string;
  /** The request's fields named in the method's {@link SecondFactorMethod.enrolmentFields}. */
  readonly details: EnrolmentDetails;
}

export interface BoundFactor {
  readonly label: string;
  /** Sealed secret to store (TOTP seed), or null. */
  readonly secret: string | null;
  /** Where codes are sent (phone number, email address), or null. */
  readonly destination: string | null;
  /** Shown once, inside the set-up flow only (docs/security.md "The key URI": the QR code carries the secret). */
  readonly display: { readonly otpauthUri?: string; readonly qrCodeSvg?: string };
}

/** The factor a challenge is for, with the scope (transaction or session) it may complete. */
export interface ChallengeRequest {
  readonly factor: Pick<FactorRow, 'id' | 'type' | 'destination' | 'member_id'>;
  readonly scope: string;
  readonly organizationName: string;
  readonly purpose: 'sign_in' | 'password_change' | 'setup';
  readonly ip: string;
  /** The client the challenge is for (a push request shows it to the member); the website when absent. */
  readonly client?: ClientInfo | undefined;
}

/** What a challenge did: sent a code (valid until `expiresAt`), or nothing (the app makes its codes). */
export type Challenge =
  | { readonly kind: 'none' }
  | { readonly kind: 'code_sent'; readonly expiresAt: Date }
  /** A push request went to the paired device; the sign-in screen shows `number`. */
  | { readonly kind: 'push_sent'; readonly requestId: string; readonly number: string; readonly expiresAt: Date }
  /** A device must pair first (a push factor being set up): the link, as text and QR code. */
  | { readonly kind: 'pairing'; readonly pairingLink: string; readonly qrCodeSvg: string; readonly expiresAt: Date };

/** What the client sent as the answer to a challenge, as the API receives it. */
export interface ResponseInput {
  readonly code?: string | undefined;
  /** A push request the member's device approved. */
  readonly pushRequestId?: string | undefined;
}

/** What a right response proves: a TOTP time step, or the id of the sent code it matched. */
export type Proof = number | string;

/**
 * How a proof kept in the factor's own row (TOTP's last accepted step) is consumed: the columns that
 * record it, and the condition that it is not consumed yet. The method's `consume` is that update
 * alone; a sign-in completed in one statement (services/signIn/completeInOneStatement.ts) runs it
 * within, together with the rest of the completion.
 */
export interface RowConsumption {
  set(proof: Proof): Updateable<FactorsTable>;
  unconsumed(eb: ExpressionBuilder<Database, 'factors'>, proof: Proof): Expression<SqlBool>;
}

export interface SecondFactorMethod<Response = unknown> {
  readonly id: BuiltMethodId;
  /**
   * The request fields (all optional) this method reads at enrolment. The API's enrolment bodies are
   * built from every method's fields, so they name no method themselves.
   */
  readonly enrolmentFields: TProperties;
  /** Checks the details and prepares what the factor row keeps; writes nothing. */
  enrol(ctx: Context, request: EnrolRequest): Promise<BoundFactor>;
  /** Starts a challenge for `factor` within its scope, as the member chose it (or at enrolment). */
  challenge(ctx: Context, request: ChallengeRequest): Promise<Challenge>;
  /** This method's response in what the client sent, or null when it sent none of that kind. */
  readResponse(input: ResponseInput): Response | null;
  /**
   * Reads whether `response` is right for `factor` within `scope` (the transaction or session it was
   * issued for), writing nothing: the single-use proof it stands for, or null for a wrong or expired
   * response.
   */
  check(ctx: Context, db: Db, factor: FactorRow, response: Response, scope: string, now: Date): Promise<Proof | null>;
  /**
   * Consumes the proof in one conditional update, so it is accepted once even under parallel
   * requests (docs/security.md S1–S2); false when another request consumed it (or a later one) first.
   */
  consume(db: Db, factor: FactorRow, proof: Proof, now: Date): Promise<boolean>;
  /** Present when a proof is consumed in the factor's own row; absent when it is a row of its own (a sent code, a push request). */
  readonly rowConsumption?: RowConsumption;
}

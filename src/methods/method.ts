/**
 * What every second-factor method implements. Methods are looked up by id in the registry, so adding
 * one (push, later) adds a file and a line, not a branch in every use case.
 */
import type { MethodId } from '../core/model.ts';
import type { Context } from '../services/context.ts';
import type { Db } from '../storage/database.ts';
import type { FactorRow } from '../storage/schema.ts';

export interface BindRequest {
  readonly factorId: string;
  readonly organizationName: string;
  readonly memberEmail: string;
  readonly phoneNumber?: string | undefined;
  readonly email?: string | undefined;
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

/** What a right code proves: a TOTP time step, or the id of the sent code it matched. */
export type Proof = number | string;

export interface SecondFactorMethod {
  readonly id: MethodId;
  /** SMS and email send a code per challenge; TOTP codes come from the member's app. */
  readonly sendsCodes: boolean;
  bind(ctx: Context, request: BindRequest): Promise<BoundFactor>;
  /**
   * Reads whether `code` is right for `factor` within `scope` (the transaction or session it was
   * issued for), writing nothing: the single-use proof it stands for (a TOTP time step, a sent code's
   * id), or null for a wrong or expired code.
   */
  check(ctx: Context, db: Db, factor: FactorRow, code: string, scope: string, now: Date): Promise<Proof | null>;
  /**
   * Consumes the proof in one conditional update, so it is accepted once even under parallel
   * requests (docs/security.md S1–S2); false when another request consumed it (or a later one) first.
   */
  consume(db: Db, factor: FactorRow, proof: Proof, now: Date): Promise<boolean>;
}

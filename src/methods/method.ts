/**
 * What every second-factor method implements. Methods are looked up by id in the registry, so adding
 * one (push, later) adds a file and a line, not a branch in every use case.
 */
import type { MethodId } from '../core/model.ts';
import type { Context } from '../services/context.ts';
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
  /** Shown once, inside the set-up flow only (security.md RFC notes: the QR code carries the secret). */
  readonly display: { readonly otpauthUri?: string; readonly qrCodeSvg?: string };
}

export interface SecondFactorMethod {
  readonly id: MethodId;
  /** SMS and email send a code per challenge; TOTP codes come from the member's app. */
  readonly sendsCodes: boolean;
  bind(ctx: Context, request: BindRequest): Promise<BoundFactor>;
  /**
   * Checks `code` for `factor` within `scope` (the transaction or session it was issued for) and, when
   * right, consumes it in one conditional update, so a code is accepted once even under parallel
   * requests (security.md 1–2). Returns false for a wrong, used or expired code.
   */
  verify(ctx: Context, factor: FactorRow, code: string, scope: string, now: Date): Promise<boolean>;
}

/** Plain domain types shared by the core rules and the layers around them. No behaviour here. */
import type { MethodId } from './methodCatalogue.ts';

/** An administrative role. A member with no role is a technician only. */
export type Role = 'master_administrator' | 'administrator';

/** The second-factor methods, by the ids the API uses: listed once, in the method catalogue. */
export { METHOD_IDS, type MethodId } from './methodCatalogue.ts';

/** "Technicians" in Global Settings → Two-step verification. */
export type TechnicianScope = 'none' | 'all' | 'selected_groups';

export interface TwoStepSettings {
  readonly masterAdministrators: boolean;
  readonly administrators: boolean;
  readonly technicians: TechnicianScope;
  /** The default method offered at sign-in and the one set up first. */
  readonly primaryMethod: MethodId;
  /** Methods the organization allows; always contains `primaryMethod`. */
  readonly allowedMethods: readonly MethodId[];
}

/** A new organization requires nobody: enforcing is the master administrator's decision. */
export const DEFAULT_TWO_STEP_SETTINGS: TwoStepSettings = {
  masterAdministrators: false,
  administrators: false,
  technicians: 'none',
  primaryMethod: 'totp',
  allowedMethods: ['totp', 'sms', 'email'],
};

/** The licenses and role a member holds: what the rules need to know about them. */
export interface MemberRoles {
  readonly role: Role | null;
  /** Holds a technician license, i.e. sits in a technician group. */
  readonly isTechnician: boolean;
}

export type ClientKind = 'website' | 'technician-console';
export interface ClientInfo {
  readonly kind: ClientKind;
  readonly version?: string | undefined;
}

/** A factor as the sign-in screens show it. */
export interface FactorSummary {
  readonly id: string;
  readonly type: MethodId;
  readonly label: string;
}

export type PasswordStrength = 'good' | 'strong' | 'excellent';
export interface PasswordPolicy {
  readonly minimumStrength: PasswordStrength;
  /** 0 means passwords never expire. */
  readonly maximumAgeDays: number;
  readonly expiryNoticeDays: number;
  /** "Admin password changes force the member to change the password at next sign-in". */
  readonly adminChangeForcesChange: boolean;
}

export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = {
  minimumStrength: 'good',
  maximumAgeDays: 0,
  expiryNoticeDays: 14,
  adminChangeForcesChange: false,
};

export type TransactionPurpose = 'sign_in' | 'password_change';
export type TransactionState = 'verify' | 'setup' | 'complete' | 'failed' | 'expired';

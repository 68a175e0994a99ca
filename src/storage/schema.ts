/**
 * The database schema as Kysely sees it: one set of table types for SQLite and PostgreSQL.
 * Times are epoch milliseconds (integers compare and index the same on both engines); booleans are
 * 0/1 integers for the same reason.
 */
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

export interface OrganizationsTable {
  id: string;
  name: string;
  master_account_holder_id: string | null;
  /** Factors count only when bound in the current epoch: changing the primary method resets everyone at once. */
  two_step_epoch: number;
  /** When the epoch last moved (epoch milliseconds), or null. */
  two_step_reset_at: number | null;
  tsv_master_administrators: number;
  tsv_administrators: number;
  tsv_technicians: string;
  tsv_primary_method: string;
  /** Comma-separated method ids. */
  tsv_allowed_methods: string;
  pw_minimum_strength: string;
  pw_maximum_age_days: number;
  pw_expiry_notice_days: number;
  pw_admin_change_forces_change: number;
  /** Audit events older than this many days are deleted by housekeeping (optional on insert: 365). */
  audit_retention_days: Generated<number>;
  /** Digits of the number matched in push approvals: 2, or 6 when the organization requires it (migration 020). */
  push_number_digits: Generated<number>;
  created_at: number;
}

export interface TechnicianGroupsTable {
  id: string;
  organization_id: string;
  parent_id: string | null;
  name: string;
  description: string;
  enforce_two_step: number;
  created_at: number;
}

export interface AdministratorGroupsTable {
  id: string;
  organization_id: string;
  parent_id: string | null;
  name: string;
  description: string;
  created_at: number;
}

export interface MembersTable {
  id: string;
  organization_id: string;
  /** Lower-cased; unique across the deployment. */
  email: string;
  name: string;
  /** Optional on insert: members made before descriptions existed, and by sign-up paths, have ''. */
  description: Generated<string>;
  role: string | null;
  administrator_group_id: string | null;
  technician_group_id: string | null;
  enabled: number;
  password_hash: string | null;
  password_changed_at: number | null;
  must_change_password: number;
  created_at: number;
  last_sign_in_at: number | null;
  /** The member's language (core/languages.ts); null until chosen: English in messages. */
  language: string | null;
}

export interface AdministratorAssignmentsTable {
  administrator_id: string;
  technician_group_id: string;
}

export interface InvitationsTable {
  id: string;
  token_hash: string;
  member_id: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface SessionsTable {
  id: string;
  token_hash: string;
  member_id: string;
  organization_id: string;
  client_kind: string;
  client_version: string | null;
  ip: string | null;
  created_at: number;
  expires_at: number;
  last_seen_at: number;
  /**
   * When a factor was last verified in this session: changing factors needs a recent one (docs/security.md
   * S28). Null while the session has only ever given the password.
   */
  reauthenticated_at: number | null;
  /** When this session last gave the password again, which counts as recent only while the member has no factor. */
  password_reverified_at: number | null;
  /** A password-only session sent to set two-step verification up (migration 013), or null. */
  setup_required_at: number | null;
  revoked_at: number | null;
}

export interface FactorsTable {
  id: string;
  organization_id: string;
  member_id: string;
  type: string;
  label: string;
  epoch: number;
  /** 0 while being set up, 1 once confirmed with a code from it (docs/security.md S9). */
  active: number;
  /** The sealed TOTP seed (AES-256-GCM), never the seed itself. */
  secret: string | null;
  /** Phone number or email address for sent codes. */
  destination: string | null;
  last_step: number | null;
  failures: number;
  locked_until: number | null;
  locked_until_reset: number;
  /** Hash of the set-up transaction a pending factor belongs to. */
  setup_transaction_id: string | null;
  created_at: number;
  confirmed_at: number | null;
  /** A pending factor added to re-pair this one of the member's: confirming it removes that one. */
  replaces_factor_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface SentCodesTable {
  id: string;
  factor_id: string;
  transaction_id: string;
  code_hash: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
  /** Whose factor it was sent to, and the client network that asked: the send limits count by these. */
  member_id: string | null;
  client_network: string | null;
}

/** A member's recovery codes (docs/security.md S10): only SHA-256 of each, counted in one epoch, used once. */
export interface RecoveryCodesTable {
  id: string;
  member_id: string;
  organization_id: string;
  /** The organization's two-step epoch when issued: like factors, codes count only in the current one. */
  epoch: number;
  /** SHA-256 of the code's canonical form (crypto/recoveryCodes.ts), never the code. */
  code_hash: string;
  created_at: number;
  used_at: number | null;
}

export interface PasswordResetsTable {
  /** One pending reset link per member; a new request replaces it. */
  member_id: string;
  /** SHA-256 of the link's token, never the token. */
  token_hash: string;
  created_at: number;
  expires_at: number;
}

export interface SetupCodesTable {
  /** One pending code per member. */
  member_id: string;
  organization_id: string;
  /** SHA-256 of the code's canonical form (crypto/recoveryCodes.ts has the format), never the code. */
  code_hash: string;
  created_at: number;
  expires_at: number;
  /** The administrator who issued it. */
  created_by: string;
}

export interface TransactionsTable {
  /** SHA-256 of the transaction id the client holds: the id is a capability, only its hash is kept. */
  id: string;
  organization_id: string;
  member_id: string;
  purpose: string;
  state: string;
  client_kind: string;
  client_version: string | null;
  browser_binding_hash: string | null;
  failures: number;
  epoch: number;
  new_password_hash: string | null;
  end_other_sessions: number;
  /** The session a password change was started from, kept when other sessions are ended. */
  origin_session_id: string | null;
  /** The invitation a sign-in accepts: its password is set, and the link spent, when it completes. */
  invitation_id: string | null;
  /** The reset link (its token's SHA-256) a password change completes: spent when it completes. */
  password_reset_hash: string | null;
  /** A set-up after a method was switched off: `required` until a factor or recovery code proves possession (then which). */
  setup_proof: string | null;
  ip: string | null;
  created_at: number;
  expires_at: number;
  completed_at: number | null;
}

/** One row per rate-limited key: its write lock orders parallel attempts on the key. */
export interface RateLimitsTable {
  key: string;
  /** When the key last counted (or was refused) an attempt: housekeeping deletes it a day later. */
  last_counted_at: number;
}

/** One counted attempt under a rate-limited key (storage/rateLimit.ts). */
export interface RateLimitHitsTable {
  id: string;
  key: string;
  counted_at: number;
}

export interface AuditEventsTable {
  id: string;
  organization_id: string;
  at: number;
  actor_id: string | null;
  actor_name: string;
  entity_type: string;
  entity_id: string;
  entity_name: string;
  change_type: string;
  /** JSON: before/after values and other context; never a secret. */
  details: string | null;
  ip: string | null;
}

/** storage/secretKeyCheck.ts: which secret key the database was written with. */
export interface SecretKeyCheckTable {
  id: string;
  mac: string;
  created_at: number;
}

/** The device key a push factor was paired with (docs/push-protocol.md); only the public key. */
export interface PushDevicesTable {
  factor_id: string;
  /** ECDSA P-256 public key, SPKI in base64url. */
  public_key: string;
  device_name: string;
  platform: string;
  paired_at: number;
}

/** A single-use pairing link, bound to its member, set-up scope and factor. */
export interface PushPairingsTable {
  /** SHA-256 of the link's token, never the token. */
  token_hash: string;
  factor_id: string;
  member_id: string;
  scope: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

/** One push request and how it ended. */
export interface PushRequestsTable {
  id: string;
  factor_id: string;
  member_id: string;
  organization_id: string;
  /** The transaction (its id's hash) or session scope the request may complete. */
  scope: string;
  /** `sign_in`, `password_change` or `pairing`. */
  purpose: string;
  /** The matching number, sealed with the request id as associated data. */
  number_sealed: string;
  /** 2 or 6, as the organization required when the request was made. */
  number_digits: number;
  client_kind: string;
  client_version: string | null;
  ip: string | null;
  /** `pending`, `approved`, `denied`, `expired`, `wrong_number` or `reported`. */
  state: string;
  created_at: number;
  expires_at: number;
  ended_at: number | null;
  /** When an approval was used to complete its transaction or set-up: once only. */
  consumed_at: number | null;
}

/** Push locked after a "Deny and report", until an administrator clears it. */
export interface PushLocksTable {
  member_id: string;
  organization_id: string;
  request_id: string;
  locked_at: number;
}

/** Work queued after an answer, until a node has done it (services/afterAnswer.ts). */
export interface AfterAnswerJobsTable {
  id: string;
  kind: string;
  /** JSON, as the kind's handler reads it. */
  payload: string;
  attempts: Generated<number>;
  not_before: number;
  lease_until: number | null;
  created_at: number;
}

export interface Database {
  organizations: OrganizationsTable;
  technician_groups: TechnicianGroupsTable;
  administrator_groups: AdministratorGroupsTable;
  members: MembersTable;
  administrator_assignments: AdministratorAssignmentsTable;
  invitations: InvitationsTable;
  sessions: SessionsTable;
  factors: FactorsTable;
  sent_codes: SentCodesTable;
  recovery_codes: RecoveryCodesTable;
  setup_codes: SetupCodesTable;
  password_resets: PasswordResetsTable;
  transactions: TransactionsTable;
  rate_limits: RateLimitsTable;
  rate_limit_hits: RateLimitHitsTable;
  audit_events: AuditEventsTable;
  secret_key_check: SecretKeyCheckTable;
  push_devices: PushDevicesTable;
  push_pairings: PushPairingsTable;
  push_requests: PushRequestsTable;
  push_locks: PushLocksTable;
  after_answer_jobs: AfterAnswerJobsTable;
}

export type OrganizationRow = Selectable<OrganizationsTable>;
export type MemberRow = Selectable<MembersTable>;
export type NewMember = Insertable<MembersTable>;
export type MemberUpdate = Updateable<MembersTable>;
export type TechnicianGroupRow = Selectable<TechnicianGroupsTable>;
export type AdministratorGroupRow = Selectable<AdministratorGroupsTable>;
export type FactorRow = Selectable<FactorsTable>;
export type RecoveryCodeRow = Selectable<RecoveryCodesTable>;
export type TransactionRow = Selectable<TransactionsTable>;
export type SessionRow = Selectable<SessionsTable>;
export type PushRequestRow = Selectable<PushRequestsTable>;
export type AuditEventRow = Selectable<AuditEventsTable>;

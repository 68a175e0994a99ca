/**
 * What every use case needs from the world, passed in rather than imported, so tests inject a clock,
 * a store on either engine and real or recording message senders.
 */
import type { AfterAnswer } from './afterAnswer.ts';
import type { ClientInfo } from '../core/model.ts';
import type { Db, Store } from '../storage/database.ts';
import type { MessageSender } from '../delivery/ports.ts';
import type { SecretBox } from '../crypto/secretBox.ts';

export type Clock = () => Date;

export interface Logger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface ServiceSettings {
  readonly sessionIdleMs: number;
  readonly sessionMaxMs: number;
  /** Base URL for links in messages (invitations). */
  readonly publicUrl: string | undefined;
  /** The port the server listens on: links in messages use `http://localhost:<port>` without a public URL. 3000 when absent. */
  readonly port?: number;
}

export interface Context {
  readonly store: Store;
  readonly db: Db;
  readonly clock: Clock;
  readonly secretBox: SecretBox;
  /** HMAC key for sent codes (see crypto/keys.ts). */
  readonly codeMacKey: Buffer;
  readonly senders: { readonly sms: MessageSender; readonly email: MessageSender };
  readonly settings: ServiceSettings;
  readonly log: Logger;
  /** Work that must not hold the answer back nor time it (services/afterAnswer.ts). */
  readonly afterAnswer: AfterAnswer;
}

/** The signed-in member a request acts for, as loaded by the session guard. */
export interface Actor {
  readonly id: string;
  readonly organizationId: string;
  readonly name: string;
  readonly email: string;
  readonly role: 'master_administrator' | 'administrator' | null;
  readonly technicianGroupId: string | null;
  readonly sessionId: string;
  /** An administrator's reset or the policy's maximum age: only the password change is open. */
  readonly mustChangePassword: boolean;
  /**
   * The session passed the password alone and the member must now use two-step verification: only
   * starting the set-up (with the password again), GET /api/v1/me and sign-out are open.
   */
  readonly twoStepSetupRequired?: boolean;
  /** The client the session was issued to: password changes follow the same client rules. */
  readonly client: ClientInfo;
  readonly ip: string;
}

/** Who caused an audited event: a signed-in actor, or the system (the command line, sign-in). */
export interface AuditActor {
  readonly id: string | null;
  readonly name: string;
  readonly ip?: string | null;
}

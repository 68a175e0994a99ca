/**
 * The delivery ports: how the services hand a code or a notice to whoever carries it to the member.
 * Adapters (SMTP, an SMS gateway, the outbox) implement {@link MessageSender}; nothing above this
 * layer knows which one is in use.
 */

/** The two channels a message can travel on. */
export type Channel = 'sms' | 'email';

/** One message to one recipient, already worded (see `messages.ts`). */
export interface Message {
  readonly channel: Channel;
  /** A phone number in E.164 form for `sms`, an email address for `email`. */
  readonly to: string;
  /** The email subject; SMS carries no subject, so SMS senders ignore it (the outbox keeps it). */
  readonly subject: string;
  readonly text: string;
}

/** Sends messages on one channel. */
export interface MessageSender {
  readonly channel: Channel;
  /**
   * Where messages go, for the start-up log line (e.g. "SMTP smtp://mail.example.com:587").
   * Never contains a password or token.
   */
  readonly description: string;
  /**
   * Hands the message over. When the promise resolves the message has been accepted by the
   * transport (or written to the outbox); it rejects with a `delivery_failed` error otherwise.
   */
  send(message: Message): Promise<void>;
}

/** One sender per channel: what the services are given. */
export interface Senders {
  readonly sms: MessageSender;
  readonly email: MessageSender;
}

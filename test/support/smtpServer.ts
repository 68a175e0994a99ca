/**
 * A real SMTP server on loopback for the tests: what the mailer sends travels over a TCP socket,
 * through the SMTP dialogue and MIME encoding, and is read back parsed, as a mail client would.
 */
import { simpleParser } from 'mailparser';
import type { AddressObject } from 'mailparser';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One message as the server received it. */
export interface ReceivedMail {
  /** The envelope sender (MAIL FROM). */
  readonly envelopeFrom: string;
  /** The envelope recipients (RCPT TO). */
  readonly envelopeTo: readonly string[];
  /** The From header's address. */
  readonly from: string;
  /** The From header's display name ('' when none). */
  readonly fromName: string;
  /** The To header's addresses. */
  readonly to: readonly string[];
  readonly subject: string;
  readonly text: string;
  /** Whether the message had an HTML part. */
  readonly hasHtml: boolean;
  /** The user name the client authenticated with, if it did. */
  readonly authUser: string | undefined;
}

export interface TestSmtpServer {
  /** `smtp://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Every message received so far, in order. */
  readonly messages: readonly ReceivedMail[];
  /** The first message (already received or still to come) that matches, or a timeout error. */
  waitFor(predicate: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  stop(): Promise<void>;
}

/** Starts an SMTP server on 127.0.0.1 and a random port; accepts any login, or none. */
export async function startSmtpServer(): Promise<TestSmtpServer> {
  const messages: ReceivedMail[] = [];
  const waiters = new Set<(mail: ReceivedMail) => void>();

  const server = new SMTPServer({
    secure: false,
    authOptional: true,
    // Plain text on loopback only: no certificate to manage, and AUTH still exercised.
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username ?? '' });
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((parsed) => {
          const mail: ReceivedMail = {
            envelopeFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            envelopeTo: session.envelope.rcptTo.map((address) => address.address),
            from: parsed.from?.value[0]?.address ?? '',
            fromName: parsed.from?.value[0]?.name ?? '',
            to: addresses(parsed.to),
            subject: parsed.subject ?? '',
            text: parsed.text ?? '',
            hasHtml: typeof parsed.html === 'string',
            authUser: typeof session.user === 'string' && session.user !== '' ? session.user : undefined,
          };
          messages.push(mail);
          for (const waiter of [...waiters]) waiter(mail);
          callback();
        })
        .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
    },
  });

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.server.address() as AddressInfo).port;

  return {
    url: `smtp://127.0.0.1:${port}`,
    port,
    messages,
    waitFor(predicate, timeoutMs = 5_000) {
      const already = messages.find(predicate);
      if (already) return Promise.resolve(already);
      return new Promise((resolve, reject) => {
        const waiter = (mail: ReceivedMail): void => {
          if (!predicate(mail)) return;
          clearTimeout(timer);
          waiters.delete(waiter);
          resolve(mail);
        };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error(`no matching mail within ${timeoutMs} ms (${messages.length} received)`));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function addresses(field: AddressObject | AddressObject[] | undefined): string[] {
  const objects = field === undefined ? [] : Array.isArray(field) ? field : [field];
  return objects.flatMap((object) => object.value.map((address) => address.address ?? ''));
}

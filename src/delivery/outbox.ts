import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TwofoldError } from '../core/errors.ts';
import type { Channel, Message, MessageSender, Senders } from './ports.ts';

/** The outbox file's name inside the data directory. */
export const OUTBOX_FILE = 'outbox.jsonl';

/** One line of `outbox.jsonl`. */
export interface OutboxEntry {
  /** When the message was written, as an ISO 8601 timestamp. */
  readonly at: string;
  readonly channel: Channel;
  readonly to: string;
  readonly subject: string;
  readonly text: string;
}

/** The outbox's path for a data directory. */
export const outboxPath = (dataDir: string): string => join(dataDir, OUTBOX_FILE);

/**
 * The embedded default for deployments with no SMS gateway or SMTP server: every message is
 * appended as one JSON line to `<dataDir>/outbox.jsonl`, where `twofold outbox` reads it.
 *
 * `send()` resolves only after the line is written, so a code is in the file before the request
 * that sent it returns.
 */
export function createOutbox(dataDir: string, clock: () => Date): Senders {
  const file = outboxPath(dataDir);
  // Created once, lazily, so building the senders at start-up touches no disk.
  let ready: Promise<unknown> | undefined;

  const send = async (message: Message): Promise<void> => {
    const entry: OutboxEntry = {
      at: clock().toISOString(),
      channel: message.channel,
      to: message.to,
      subject: message.subject,
      text: message.text,
    };
    try {
      ready ??= mkdir(dataDir, { recursive: true, mode: 0o700 });
      await ready;
      // One write per line with O_APPEND: concurrent sends (and server processes) never interleave
      // inside a line. Mode 0600 because the file holds live codes; it only applies on creation.
      await appendFile(file, `${JSON.stringify(entry)}\n`, { flag: 'a', mode: 0o600 });
    } catch (cause) {
      ready = undefined;
      throw new TwofoldError('delivery_failed', `Could not write to the outbox ${file}`, {}, { cause });
    }
  };

  const sender = (channel: Channel): MessageSender => ({
    channel,
    description: `outbox ${file}`,
    send,
  });
  return { sms: sender('sms'), email: sender('email') };
}

/**
 * The latest `limit` entries of the outbox, oldest first; none when nothing was sent yet.
 * Reads the whole file: the outbox is a development and evaluation aid, not a mail queue.
 */
export async function readOutbox(dataDir: string, limit: number): Promise<OutboxEntry[]> {
  let content: string;
  try {
    content = await readFile(outboxPath(dataDir), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const entries: OutboxEntry[] = [];
  for (const line of content.split('\n')) {
    // Skips the empty tail and a line cut short by a crash mid-write, instead of hiding every
    // message behind one bad line.
    const entry = parseEntry(line);
    if (entry) entries.push(entry);
  }
  return limit > 0 ? entries.slice(-limit) : [];
}

function parseEntry(line: string): OutboxEntry | undefined {
  if (line.trim() === '') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const { at, channel, to, subject, text } = value as Record<string, unknown>;
  if (
    typeof at !== 'string' ||
    (channel !== 'sms' && channel !== 'email') ||
    typeof to !== 'string' ||
    typeof subject !== 'string' ||
    typeof text !== 'string'
  ) {
    return undefined;
  }
  return { at, channel, to, subject, text };
}

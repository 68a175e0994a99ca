/**
 * `twofold serve`: the server, on the embedded SQLite database unless DATABASE_URL says otherwise.
 * Besides the structured log, it tells the person who started it what they must do next: open the
 * one-time set-up link on a fresh deployment, and set TWOFOLD_PUBLIC_URL when emailed links would
 * point to a machine members cannot reach.
 */
import { isIP } from 'node:net';
import { loadConfig, type Config } from '../../config.ts';
import { serve } from '../../runtime.ts';
import { linkOrigin } from '../../services/pageLinks.ts';

export async function serveCommand(): Promise<number> {
  const config = loadConfig(process.env);
  const { app, setupToken } = await serve(config, process.env);
  const warning = publicUrlWarning(config);
  if (warning) app.log.warn(warning);
  // The token goes to the console, not through the logger: logs are shipped and kept, and this is
  // the one secret the person at the console needs.
  if (setupToken) process.stderr.write(setupMessage(linkOrigin(config.publicUrl, config.port), setupToken.value));
  return new Promise<number>(() => {}); // runs until a signal stops it
}

/** A warning when emailed links will point to localhost while others can reach the server; else null. */
export function publicUrlWarning(config: Pick<Config, 'publicUrl' | 'host' | 'port'>): string | null {
  if (config.publicUrl !== undefined || isLoopback(config.host)) return null;
  return `TWOFOLD_PUBLIC_URL is not set: links in invitation and password reset emails will point to ${linkOrigin(undefined, config.port)}, which only this machine reaches. Set TWOFOLD_PUBLIC_URL to the address members use (e.g. https://twofold.example.com).`;
}

export function setupMessage(origin: string, token: string): string {
  return [
    '',
    'Twofold has no organization yet. To create it and its Master Account Holder, open:',
    '',
    `    ${origin}/first-run#setup-token=${token}`,
    '',
    'The link holds a one-time setup token (also in the setup-token file of the data directory); it',
    'is spent when the organization is created. From another machine, put this server\'s address in',
    'place of localhost. Or run `twofold init` on this server instead.',
    '',
    '',
  ].join('\n');
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

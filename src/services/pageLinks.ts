/**
 * Links to the site's pages that travel by email (an invitation, a password reset). They are built
 * from configuration only, never from the request's Host header: a client chooses that header, and a
 * reset link pointing to a host of the client's choosing would hand the reset token to it. So: the
 * public URL members reach the server at (`TWOFOLD_PUBLIC_URL`), or else the local quickstart's
 * address on the port the server listens on, which works on the server's own machine only (the server
 * warns at start when it listens beyond that machine without a public URL).
 */
import type { Context } from './context.ts';

const DEFAULT_PORT = 3000;

/** The origin emailed links and the start-up set-up link use. */
export function linkOrigin(publicUrl: string | undefined, port: number): string {
  return (publicUrl ?? `http://localhost:${port}`).replace(/\/+$/, '');
}

export function pageLink(ctx: Context, path: string): string {
  return `${linkOrigin(ctx.settings.publicUrl, ctx.settings.port ?? DEFAULT_PORT)}${path}`;
}

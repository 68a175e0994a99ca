/**
 * Links to the site's pages that travel by email (an invitation, a password reset): on the public URL
 * members reach the server at, or the local quickstart's address when none is configured.
 */
import type { Context } from './context.ts';

export function pageLink(ctx: Context, path: string): string {
  const base = (ctx.settings.publicUrl ?? 'http://localhost:3000').replace(/\/+$/, '');
  return `${base}${path}`;
}

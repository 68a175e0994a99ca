/**
 * Cookie names and attributes. Over HTTPS the `__Host-` prefix pins a cookie to this exact origin
 * (docs/security.md S22); plain HTTP (local quickstart) cannot carry it, so the bare name is used there.
 * A request is over HTTPS when it came so (directly, or through a trusted proxy that says so) or when
 * the configured public URL is https: behind a proxy that is not declared, browsers still use https.
 */
import type {} from '@fastify/cookie';
import type { FastifyReply, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyInstance {
    /** TWOFOLD_PUBLIC_URL's origin, or null when unset. */
    publicOrigin: string | null;
  }
}

export const COOKIE = {
  /** The session of a website sign-in. */
  session: 'twofold_session',
  /** Binds a website sign-in transaction to the browser that started it. */
  transaction: 'twofold_tx',
} as const;

const secure = (request: FastifyRequest): boolean =>
  request.protocol === 'https' || (request.server.publicOrigin?.startsWith('https://') ?? false);
const nameFor = (request: FastifyRequest, name: string): string => (secure(request) ? `__Host-${name}` : name);

/**
 * Over HTTPS only the `__Host-` cookie is read: a bare-named one could have been planted by a
 * sibling subdomain or over plain HTTP, which is what the prefix exists to rule out.
 */
export function readCookie(request: FastifyRequest, name: string): string | null {
  return request.cookies?.[nameFor(request, name)] ?? null;
}

export function setCookie(request: FastifyRequest, reply: FastifyReply, name: string, value: string, expires: Date): void {
  reply.setCookie(nameFor(request, name), value, {
    path: '/',
    httpOnly: true,
    secure: secure(request),
    sameSite: 'strict',
    expires,
  });
}

export function clearCookie(request: FastifyRequest, reply: FastifyReply, name: string): void {
  reply.clearCookie(nameFor(request, name), { path: '/', httpOnly: true, secure: secure(request), sameSite: 'strict' });
}

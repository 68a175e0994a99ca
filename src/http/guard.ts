/**
 * The one guard in front of every route: deny by default. A route is reachable without a session
 * only when it says `config: { public: true }`, so a new route is protected without anyone
 * remembering to protect it. The guard also applies the CSRF rule for cookie-borne credentials.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { TwofoldError } from '../core/errors.ts';
import type { Actor, Context } from '../services/context.ts';
import type { MemberProfileRow } from '../services/members/memberProfile.ts';
import { authenticateSession, authenticateSessionWithProfile } from '../services/sessions.ts';
import { COOKIE, readCookie } from './cookies.ts';

declare module 'fastify' {
  interface FastifyRequest {
    /** The signed-in member, set by the guard; null on public routes without a session. */
    actor: Actor | null;
    /** How the caller authenticated: a bearer token needs no Origin check. */
    credential: 'bearer' | 'cookie' | null;
    /** The signed-in member's profile, read with their session on a route that asks for it (`memberProfile`). */
    memberProfile: MemberProfileRow[] | null;
  }
  interface FastifyContextConfig {
    /** Reachable without a session. Everything else needs a fully verified one. */
    public?: boolean;
    /** Reachable while the member must change their password (everything else is closed then). */
    duringPasswordChange?: boolean;
    /** Reachable from a password-only session whose member must now set two-step verification up. */
    duringTwoStepSetup?: boolean;
    /** Answers with the member's profile: the guard reads it with the session, in the same query. */
    memberProfile?: boolean;
  }
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export function installGuard(app: FastifyInstance, ctx: Context, publicUrl: string | undefined): void {
  app.decorateRequest('actor', null);
  app.decorateRequest('credential', null);
  app.decorateRequest('memberProfile', null);

  app.addHook('onRequest', async (request) => {
    // No route has this method and path: the not-found handler answers 404 whoever asks. Only the
    // route pattern decides this, never whether an id in it exists, so it reveals nothing a signed-out
    // caller could not read in the OpenAPI document.
    if (request.is404) return;
    const bearer = bearerToken(request);
    const cookieToken = bearer === null ? readCookie(request, COOKIE.session) : null;
    const usesCookies = bearer === null && Object.keys(request.cookies ?? {}).some((name) => name.includes('twofold_'));

    // CSRF: a state-changing request that rides on cookies must come from our own pages.
    // An Origin naming another site is refused whatever the credential (SameSite is a second line).
    if (!SAFE_METHODS.has(request.method)) {
      const origin = request.headers.origin;
      const expected = publicUrl ?? `${request.protocol}://${request.host}`;
      if ((usesCookies && origin !== expected) || (origin !== undefined && origin !== expected && bearer === null)) {
        throw new TwofoldError('origin_mismatch', 'This request must come from the Twofold site itself.');
      }
    }

    const token = bearer ?? cookieToken;
    if (token) {
      if (request.routeOptions.config?.memberProfile) {
        ({ actor: request.actor, profile: request.memberProfile } = await authenticateSessionWithProfile(ctx, token, request.ip));
      } else {
        request.actor = await authenticateSession(ctx, token, request.ip);
      }
      request.credential = request.actor ? (bearer ? 'bearer' : 'cookie') : null;
      if (!request.actor && bearer !== null && !request.routeOptions.config?.public) {
        throw new TwofoldError('unauthenticated', 'The session has ended or is not valid. Sign in again.');
      }
    }
    if (!request.routeOptions.config?.public && !request.actor) {
      throw new TwofoldError('unauthenticated', 'Sign in to continue.');
    }
    if (request.actor?.twoStepSetupRequired && !request.routeOptions.config?.public && !request.routeOptions.config?.duringTwoStepSetup) {
      throw new TwofoldError('two_step_setup_required',
        'You must now use two-step verification. Set it up to continue (POST /api/v1/me/two-step-setup with your password), or sign in again.');
    }
    if (request.actor?.mustChangePassword && !request.routeOptions.config?.public && !request.routeOptions.config?.duringPasswordChange) {
      throw new TwofoldError('password_change_required', 'Change your password to continue (POST /api/v1/me/password).');
    }
  });
}

function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  if (!header) return null;
  const match = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(header);
  if (!match?.[1]) throw new TwofoldError('unauthenticated', 'The Authorization header must be "Bearer <session token>".');
  return match[1];
}

/** The signed-in actor of a protected route (the guard guarantees one). */
export function actorOf(request: FastifyRequest): Actor {
  if (!request.actor) throw new TwofoldError('unauthenticated', 'Sign in to continue.');
  return request.actor;
}

/** Signing in and out, and who is signed in. */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Context } from '../../services/context.ts';
import { signOut, signOutEverywhere } from '../../services/sessions.ts';
import { setUpFromSession } from '../../services/signIn/setUpFromSession.ts';
import { signIn } from '../../services/signIn/signIn.ts';
import type { TransactionView } from '../../services/signIn/view.ts';
import { describeMe } from '../../services/members/describeMe.ts';
import { setMyLanguage } from '../../services/members/memberLanguage.ts';
import { MEMBER_LANGUAGES } from '../../core/languages.ts';
import { COOKIE, clearCookie, setCookie } from '../cookies.ts';
import { actorOf } from '../guard.ts';
import { Email, MethodId, Timestamp, TwoStepStatus, strictObject } from '../schemas.ts';
import { TransactionSchema } from './transactionSchema.ts';

export const Client = strictObject({
  kind: Type.Union([Type.Literal('website'), Type.Literal('technician-console')]),
  version: Type.Optional(Type.String({ minLength: 1, maxLength: 50, pattern: '^[0-9A-Za-z.+-]+$' })),
});

const MemberLanguageSchema = Type.Union(MEMBER_LANGUAGES.map((l) => Type.Literal(l)));
// A string, not the list: a language Twofold does not speak is refused with its own code.
const LanguageBody = strictObject({ language: Type.String({ minLength: 1, maxLength: 35, description: 'One of `en`, `fr`, `it`, `de`, `es`, `pt`, `nl`.' }) });

const SetUpFromSessionBody = strictObject({ password: Type.String({ minLength: 1, maxLength: 1024 }) });

const SignInBody = strictObject({
  email: Email,
  password: Type.String({ minLength: 1, maxLength: 1024 }),
  client: Type.Optional(Client),
});

/**
 * Answers with a transaction. The website receives its session, and the browser binding of an open
 * transaction, as HttpOnly cookies; the token is never in a website response body.
 */
const MeSchema = Type.Object({
  id: Type.String(), name: Type.String(), email: Type.String(),
  role: Type.Union([Type.Literal('master_administrator'), Type.Literal('administrator'), Type.Null()], { description: 'null: a technician only' }),
  technicianGroupId: Type.Union([Type.String(), Type.Null()]),
  masterAccountHolder: Type.Boolean(),
  organization: Type.Object({ id: Type.String(), name: Type.String() }),
  password: Type.Object({
    mustChange: Type.Boolean({ description: 'The password must be changed before anything else (POST /api/v1/me/password).' }),
    expiresAt: Type.Union([Timestamp, Type.Null()], { description: 'When the password expires under the organization\'s policy; null when it does not.' }),
    expiryNoticeDue: Type.Boolean({ description: 'The password expires soon enough to tell the member.' }),
    minimumStrength: Type.Union([Type.Literal('good'), Type.Literal('strong'), Type.Literal('excellent')], { description: 'The organization\'s password rule for any new password this member types: their own, or one an administrator sets for another member.' }),
  }),
  twoStepVerification: TwoStepStatus,
  allowedMethods: Type.Array(MethodId, { description: 'The methods you may add (POST /api/v1/me/factors) from this client: those the organization allows in Global Settings that can be set up here, the primary method first. Any other is refused with `method_not_allowed`.' }),
  language: Type.Union([MemberLanguageSchema, Type.Null()], { description: 'The language the member chose for the website and the messages sent to them; null until they choose one (messages are in English meanwhile).' }),
});

export function sendTransaction(
  request: FastifyRequest, reply: FastifyReply, view: TransactionView, binding: string | null, status = 200,
): FastifyReply {
  const website = view.client.kind === 'website';
  if (view.session && website) {
    setCookie(request, reply, COOKIE.session, view.session.token, new Date(view.session.expiresAt));
    clearCookie(request, reply, COOKIE.transaction);
    const { session: _token, ...rest } = view;
    return reply.code(status).send({ ...rest, session: { expiresAt: view.session.expiresAt } });
  }
  if (binding !== null) setCookie(request, reply, COOKIE.transaction, binding, new Date(view.expiresAt));
  return reply.code(status).send(view);
}

export async function signInRoutes(app: FastifyInstance, ctx: Context): Promise<void> {
  app.post<{ Body: Static<typeof SignInBody> }>('/api/v1/sign-in', {
    config: { public: true },
    schema: {
      tags: ['Sign-in'],
      summary: 'Sign in with email and password; continues with two-step verification when required',
      body: SignInBody,
      response: { 200: TransactionSchema },
      security: [],
    },
  }, async (request, reply) => {
    const { view, binding } = await signIn(ctx, {
      email: request.body.email,
      password: request.body.password,
      client: request.body.client ?? { kind: 'website' },
      ip: request.ip,
    });
    return sendTransaction(request, reply, view, binding);
  });

  app.post<{ Body: Static<typeof SetUpFromSessionBody> }>('/api/v1/me/two-step-setup', {
    // Open to a session held by `two_step_setup_required`, which is what it is for; and to one that
    // must also change its password, or neither could go on.
    config: { duringPasswordChange: true, duringTwoStepSetup: true },
    schema: {
      tags: ['Sign-in'],
      summary: 'From a session that passed the password alone, once two-step verification applies: give the password again and walk the set-up, as at sign-in',
      body: SetUpFromSessionBody,
      response: { 200: TransactionSchema },
    },
  }, async (request, reply) => {
    const { view, binding } = await setUpFromSession(ctx, actorOf(request), request.body.password, request.ip);
    return sendTransaction(request, reply, view, binding);
  });

  app.post('/api/v1/sign-out', {
    config: { duringPasswordChange: true, duringTwoStepSetup: true },
    schema: { tags: ['Sign-in'], summary: 'End the current session', response: { 204: Type.Null() } },
  }, async (request, reply) => {
    await signOut(ctx, actorOf(request));
    clearCookie(request, reply, COOKIE.session);
    return reply.code(204).send();
  });

  app.post('/api/v1/me/sign-out-everywhere', {
    // Open wherever sign-out is: a member held for a password change may most want it.
    config: { duringPasswordChange: true, duringTwoStepSetup: true },
    schema: {
      tags: ['Sign-in'],
      summary: 'End every one of your sessions, in every browser and Technician Console, this one included',
      response: { 200: Type.Object({ sessionsEnded: Type.Integer({ description: 'How many sessions this request ended.' }) }) },
    },
  }, async (request, reply) => {
    const ended = await signOutEverywhere(ctx, actorOf(request));
    clearCookie(request, reply, COOKIE.session);
    return reply.send(ended);
  });

  app.get('/api/v1/me', {
    config: { duringPasswordChange: true, duringTwoStepSetup: true, memberProfile: true },
    schema: { tags: ['Sign-in'], summary: 'The signed-in member', response: { 200: MeSchema } },
  }, async (request) => describeMe(ctx, actorOf(request), request.memberProfile));

  app.put<{ Body: Static<typeof LanguageBody> }>('/api/v1/me/language', {
    // The language selector is on every page, the password change and the set-up included.
    config: { duringPasswordChange: true, duringTwoStepSetup: true },
    schema: {
      tags: ['Account'],
      summary: 'Choose your language: the website uses it after you sign in, and the emails and text messages sent to you are in it',
      body: LanguageBody,
      response: { 200: Type.Object({ language: MemberLanguageSchema }) },
    },
  }, async (request) => setMyLanguage(ctx, actorOf(request), request.body.language));
}

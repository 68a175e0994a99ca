/** `/api/v1/members`: adding, reading, editing, moving, disabling and deleting members. */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../../services/context.ts';
import { createMember } from '../../services/members/createMember.ts';
import { deleteMember } from '../../services/members/deleteMember.ts';
import { getMember, listMembers } from '../../services/members/readMembers.ts';
import { unlockMember } from '../../services/members/unlockMember.ts';
import { ROLE_FILTERS, TWO_STEP_STATES } from '../../services/members/memberFilters.ts';
import { updateMember } from '../../services/members/updateMember.ts';
import { issueSetupCode } from '../../services/twoStep/setupCodes.ts';
import { actorOf } from '../guard.ts';
import { Email, Id, IdParams, Name, Password, Timestamp, TwoStepStatus, page, strictObject } from '../schemas.ts';
import { Description } from './technicianGroups.ts';

const Role = Type.Union([Type.Literal('master_administrator'), Type.Literal('administrator')]);
const NullableString = Type.Union([Type.String(), Type.Null()]);

export const Member = Type.Object({
  id: Type.String(),
  name: Type.String(),
  email: Type.String(),
  description: Type.String(),
  role: Type.Union([Role, Type.Null()], { description: 'null: a technician only' }),
  technicianGroupId: NullableString,
  administratorGroupId: NullableString,
  assignedTechnicianGroupIds: Type.Array(Type.String(), { description: 'For administrators; [] for everyone else.' }),
  enabled: Type.Boolean(),
  licenses: Type.Object({ administrator: Type.Boolean(), technician: Type.Boolean() }),
  masterAccountHolder: Type.Boolean(),
  createdAt: Timestamp,
  lastSignInAt: Type.Union([Timestamp, Type.Null()]),
  mustChangePassword: Type.Boolean(),
  passwordSet: Type.Boolean({ description: 'False while an invitation is pending.' }),
  passwordLock: Type.Union([
    Type.Object({ lockedUntil: Timestamp }),
    Type.Null(),
  ], { description: 'While too many wrong passwords lock the password (even the right one is refused): when the lock ends. Null when not locked. An administrator who may reset the member can unlock it earlier.' }),
  recoveryLock: Type.Union([
    Type.Object({ lockedUntil: Timestamp }),
    Type.Null(),
  ], { description: 'While too many recovery codes were tried for the member (recovery is refused): when that ends. Null when not locked. Unlocked with `all` or `recovery`.' }),
  pushLock: Type.Union([
    Type.Object({ lockedAt: Timestamp }),
    Type.Null(),
  ], { description: 'Set after the member answered a push request with "Deny and report": authenticator app notifications are refused until an administrator unlocks them (`all` or `push`). Null when not locked.' }),
  twoStepVerification: TwoStepStatus,
});

const MemberWithInvitation = Type.Object({
  ...Member.properties,
  invitation: Type.Optional(Type.Object({ expiresAt: Timestamp, sent: Type.Boolean() })),
});

const CreateBody = strictObject({
  name: Name,
  email: Email,
  password: Type.Optional(Password),
  role: Type.Optional(Role),
  technicianGroupId: Type.Optional(Id),
  administratorGroupId: Type.Optional(Id),
  description: Type.Optional(Description),
});

const UpdateBody = Type.Object({
  name: Type.Optional(Name),
  email: Type.Optional(Email),
  description: Type.Optional(Description),
  password: Type.Optional(Password),
  role: Type.Optional(Type.Union([Role, Type.Null()])),
  technicianGroupId: Type.Optional(Type.Union([Id, Type.Null()], { description: 'Move to this group; null gives up the technician license.' })),
  administratorGroupId: Type.Optional(Type.Union([Id, Type.Null()])),
  enabled: Type.Optional(Type.Boolean({ description: 'false disables the member and ends their sessions.' })),
  assignedTechnicianGroupIds: Type.Optional(Type.Array(Id, { maxItems: 1000 })),
}, { additionalProperties: false, minProperties: 1 });

const ListQuery = strictObject({
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', description: '1 to 200, default 50' })),
  technicianGroupId: Type.Optional(Id),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Name or email contains this, ignoring case.' })),
  role: Type.Optional(Type.Union(ROLE_FILTERS.map((r) => Type.Literal(r)), { description: '`technician`: members with no administrator role.' })),
  twoStepState: Type.Optional(Type.Union(TWO_STEP_STATES.map((s) => Type.Literal(s)), {
    description: '`required`: must use two-step verification; `not_set_up`: must, and will be asked to set it up; `set_up`: has an allowed method; `must_set_up_again`: must, and every method they set up was switched off; `locked`: a method is locked after wrong codes, or the password after wrong passwords.',
  })),
});

const UnlockBody = strictObject({
  what: Type.Union([Type.Literal('password'), Type.Literal('factors'), Type.Literal('recovery'), Type.Literal('push'), Type.Literal('all')], {
    description: '`password`: the lock set by wrong passwords; `factors`: the methods locked by wrong codes (they stay set up), and the limit on codes tried for a method being added; `recovery`: the limit on recovery codes tried; `push`: the lock on authenticator app notifications a reported request set; `all`: every one.',
  }),
});

const tags = ['Members'];

/** Registers the routes of this resource; the global guard requires a session unless a route says `public`. */
export async function memberRoutes(app: FastifyInstance, ctx: Context): Promise<void> {
  app.post<{ Body: Static<typeof CreateBody> }>('/api/v1/members', {
    schema: {
      tags, summary: 'Add a member; without a password they are emailed an invitation', body: CreateBody,
      response: { 201: MemberWithInvitation },
    },
  }, async (request, reply) => reply.code(201).send(await createMember(ctx, actorOf(request), request.body)));

  app.get<{ Querystring: Static<typeof ListQuery> }>('/api/v1/members', {
    schema: { tags, summary: 'The members the caller may see, oldest first; found by name or email, filtered by group, role and two-step verification state', querystring: ListQuery, response: { 200: page(Member) } },
  }, async (request) => listMembers(ctx, actorOf(request), request.query));

  app.get<{ Params: IdParams }>('/api/v1/members/:id', {
    schema: { tags, summary: 'One member', params: IdParams, response: { 200: Member } },
  }, async (request) => getMember(ctx, actorOf(request), request.params.id));

  app.patch<{ Params: IdParams; Body: Static<typeof UpdateBody> }>('/api/v1/members/:id', {
    schema: { tags, summary: 'Edit, move, disable or enable a member, or change their role or assignments', params: IdParams, body: UpdateBody, response: { 200: MemberWithInvitation } },
  }, async (request) => updateMember(ctx, actorOf(request), request.params.id, request.body));

  app.delete<{ Params: IdParams }>('/api/v1/members/:id', {
    schema: {
      tags, params: IdParams, response: { 204: Type.Null() },
      summary: 'Delete a member for good: their sessions end at once, their factors and pending sign-ins go; the audit trail keeps their id and name',
    },
  }, async (request, reply) => {
    await deleteMember(ctx, actorOf(request), request.params.id);
    return reply.code(204).send();
  });

  app.post<{ Params: IdParams }>('/api/v1/members/:id/setup-code', {
    schema: {
      tags: ['Two-step verification'], params: IdParams,
      summary: 'Issue a one-time setup code for a member (72 hours; replaces any pending one): their next set-up of two-step verification activates only with it',
      response: { 201: Type.Object({ setupCode: Type.String({ description: 'Shown once: hand it to the member by another channel.' }), expiresAt: Timestamp }) },
    },
  }, async (request, reply) => reply.code(201).header('cache-control', 'no-store').send(await issueSetupCode(ctx, actorOf(request), request.params.id)));

  app.post<{ Params: IdParams; Body: Static<typeof UnlockBody> }>('/api/v1/members/:id/unlock', {
    schema: {
      tags, params: IdParams, body: UnlockBody,
      summary: 'End a member\'s password lock or factor locks before their time (whoever may reset the member\'s two-step verification; audited)',
      response: { 200: Member },
    },
  }, async (request) => unlockMember(ctx, actorOf(request), request.params.id, request.body.what));
}

/** `GET /api/v1/audit-events`: the audit trail, newest first, for master administrators. */
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../../services/context.ts';
import { listAuditEvents } from '../../services/organizations/listAuditEvents.ts';
import { actorOf } from '../guard.ts';
import { Id, Timestamp, page, strictObject } from '../schemas.ts';

const AuditEvent = Type.Object({
  id: Type.String(),
  at: Timestamp,
  actor: Type.Object({ id: Type.Union([Type.String(), Type.Null()]), name: Type.String() }),
  entityType: Type.String(),
  entityId: Type.String(),
  entityName: Type.String(),
  changeType: Type.String({ description: 'Add, Delete, Move, Copy, Assign, Unassign, Change, View, Enable, Disable, Reset, SignIn, SignInFailed, SignOut, Bind, Remove, Lock, Import, Use, VerifyFailed (a wrong second-factor or recovery code), TransactionFailed (ended by its fifth wrong code), PushReported (a member reported a push request they did not make: push is locked for them)' }),
  details: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()]),
  before: Type.Unknown({ description: 'The values before the change (details.before), or null.' }),
  after: Type.Unknown({ description: 'The values after the change (details.after), or null.' }),
});

const AuditQuery = strictObject({
  cursor: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.String({ pattern: '^[0-9]{1,3}$', description: '1 to 200, default 50' })),
  entityId: Type.Optional(Id),
  memberId: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Only events this member requested.' })),
  actorId: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Who: only events this member requested (as memberId).' })),
  action: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'What: only this change type.' })),
  entityType: Type.Optional(Type.String({ minLength: 1, maxLength: 40, description: 'Only events about this kind of entity.' })),
  from: Type.Optional(Type.String({ format: 'date-time', description: 'Only events at or after this time.' })),
  to: Type.Optional(Type.String({ format: 'date-time', description: 'Only events before this time.' })),
});

/** Registers the routes of this resource; the global guard requires a session unless a route says `public`. */
export async function auditEventRoutes(app: FastifyInstance, ctx: Context): Promise<void> {
  app.get<{ Querystring: Static<typeof AuditQuery> }>('/api/v1/audit-events', {
    schema: { tags: ['Reports'], summary: 'The audit trail, newest first', querystring: AuditQuery, response: { 200: page(AuditEvent) } },
  }, async (request) => listAuditEvents(ctx, actorOf(request), request.query));
}

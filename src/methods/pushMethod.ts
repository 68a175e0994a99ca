/**
 * The authenticator app notification (docs/push-protocol.md): enrolment binds a factor that a device
 * then pairs with through a single-use link; a challenge sends a push request with a number to match;
 * the response is the id of a request the device approved, used once.
 */
import { TwofoldError } from '../core/errors.ts';
import { createPairingLink } from '../services/push/pairing.ts';
import { startPushRequest } from '../services/push/startPushRequest.ts';
import { prepareQuery } from '../storage/preparedQuery.ts';
import type { SecondFactorMethod } from './method.ts';

const approvedRequest = prepareQuery((db, p: { id: string; factorId: string; scope: string }) => db.selectFrom('push_requests')
  .select('id').where('id', '=', p.id).where('factor_id', '=', p.factorId).where('scope', '=', p.scope)
  .where('state', '=', 'approved').where('consumed_at', 'is', null));

// One conditional update: an approval completes one transaction once, whatever runs in parallel.
const consumeApproval = prepareQuery((db, p: { id: string; factorId: string; now: number }) => db.updateTable('push_requests')
  .set({ consumed_at: p.now }).where('id', '=', p.id).where('factor_id', '=', p.factorId)
  .where('state', '=', 'approved').where('consumed_at', 'is', null));

export const pushMethod: SecondFactorMethod<string> = {
  id: 'push',
  // The device brings its own key and name when it pairs: nothing to ask the member for here.
  enrolmentFields: {},

  async enrol() {
    return { label: 'Authenticator app notification', secret: null, destination: null, display: {} };
  },

  async challenge(ctx, request) {
    const paired = await ctx.db.selectFrom('push_devices').select('factor_id').where('factor_id', '=', request.factor.id).executeTakeFirst();
    if (!paired) {
      // Not paired yet: only a set-up can hand out the link that pairs it.
      if (request.purpose !== 'setup') throw new TwofoldError('method_unavailable', 'This authenticator app is not paired yet.');
      const link = await createPairingLink(ctx, request.factor, request.scope);
      return { kind: 'pairing', pairingLink: link.pairingLink, qrCodeSvg: link.qrCodeSvg, expiresAt: link.expiresAt };
    }
    const organizationId = (await ctx.db.selectFrom('factors').select('organization_id').where('id', '=', request.factor.id).executeTakeFirstOrThrow()).organization_id;
    const started = await startPushRequest(ctx, {
      factorId: request.factor.id, memberId: request.factor.member_id, organizationId, scope: request.scope,
      purpose: request.purpose === 'setup' ? 'pairing' : request.purpose,
      client: request.client ?? { kind: 'website' }, ip: request.ip,
    });
    return { kind: 'push_sent', requestId: started.requestId, number: started.number, expiresAt: started.expiresAt };
  },

  readResponse: (input) => input.pushRequestId ?? null,

  async check(_ctx, db, factor, requestId, scope) {
    return (await approvedRequest.first(db, { id: requestId, factorId: factor.id, scope }))?.id ?? null;
  },

  async consume(db, factor, proof, now) {
    return await consumeApproval.affected(db, { id: String(proof), factorId: factor.id, now: now.getTime() }) === 1;
  },
};

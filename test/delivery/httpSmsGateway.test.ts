// SMS codes go through an HTTP gateway in Twilio's shape: the request must carry the right form
// fields and Basic auth, and a refusal must surface the gateway's reason but never the auth token.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TwofoldError } from '../../src/core/errors.ts';
import { createHttpSmsGateway } from '../../src/delivery/httpSmsGateway.ts';
import { INVALID_TO, startFakeSmsGateway } from '../support/smsGateway.ts';
import type { FakeSmsGateway } from '../support/smsGateway.ts';

let gateway: FakeSmsGateway;
before(async () => {
  gateway = await startFakeSmsGateway();
});
after(() => gateway.stop());

const provider = (overrides: { from?: string; authToken?: string; timeoutMs?: number } = {}) =>
  createHttpSmsGateway({
    accountSid: gateway.accountSid,
    authToken: overrides.authToken ?? gateway.authToken,
    from: overrides.from ?? '+15005550006',
    baseUrl: `${gateway.baseUrl}/`, // a trailing slash must not double up in the path
    ...(overrides.timeoutMs === undefined ? {} : { timeoutMs: overrides.timeoutMs }),
  });

const isDeliveryFailed = (error: unknown): error is TwofoldError =>
  error instanceof TwofoldError && error.code === 'delivery_failed';

test('posts To, From and Body form-encoded to the Messages endpoint with Basic auth', async () => {
  gateway.failWith(undefined);
  await provider().send({ channel: 'sms', to: '+14155550123', subject: 'ignored for SMS', text: '123456 is your Acme code & more' });
  const request = gateway.requests.at(-1);
  assert.equal(request?.method, 'POST');
  assert.equal(request?.path, `/2010-04-01/Accounts/${gateway.accountSid}/Messages.json`);
  assert.equal(request?.contentType.split(';')[0], 'application/x-www-form-urlencoded');
  assert.equal(
    request?.authorization,
    `Basic ${Buffer.from(`${gateway.accountSid}:${gateway.authToken}`).toString('base64')}`,
  );
  assert.deepEqual(gateway.sent.at(-1), { To: '+14155550123', From: '+15005550006', Body: '123456 is your Acme code & more' });
});

test('a messaging service id is sent as MessagingServiceSid instead of From', async () => {
  gateway.failWith(undefined);
  const service = `MG${'0123456789abcdef'.repeat(2)}`;
  await provider({ from: service }).send({ channel: 'sms', to: '+14155550123', subject: '', text: 'hi' });
  assert.deepEqual(gateway.sent.at(-1), { To: '+14155550123', MessagingServiceSid: service, Body: 'hi' });
});

test("a refusal surfaces the gateway's status, code and message, not the token", async () => {
  gateway.failWith(INVALID_TO);
  try {
    await assert.rejects(provider().send({ channel: 'sms', to: 'not-a-number', subject: '', text: 'hi' }), (error: unknown) => {
      assert.ok(isDeliveryFailed(error));
      assert.equal(error.details.gatewayStatus, 400);
      assert.equal(error.details.gatewayCode, 21211);
      assert.match(error.message, /400.*21211.*invalid To/);
      assert.ok(!JSON.stringify({ message: error.message, details: error.details }).includes(gateway.authToken));
      return true;
    });
  } finally {
    gateway.failWith(undefined);
  }
});

test('wrong credentials are a delivery failure with status 401', async () => {
  await assert.rejects(
    provider({ authToken: 'wrong-token' }).send({ channel: 'sms', to: '+14155550123', subject: '', text: 'hi' }),
    (error: unknown) => isDeliveryFailed(error) && error.details.gatewayStatus === 401 && !error.message.includes('wrong-token'),
  );
});

test('a gateway that does not answer in time is a delivery failure', async () => {
  const silent = createServer(() => {
    // never answers
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = silent.address() as AddressInfo;
    const slow = createHttpSmsGateway({
      accountSid: 'AC1',
      authToken: 'token',
      from: '+15005550006',
      baseUrl: `http://127.0.0.1:${port}`,
      timeoutMs: 200,
    });
    await assert.rejects(slow.send({ channel: 'sms', to: '+14155550123', subject: '', text: 'hi' }), (error: unknown) =>
      isDeliveryFailed(error) && /no answer within 200 ms/.test(error.message),
    );
  } finally {
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
  }
});

test('the description names the gateway and account, not the token', () => {
  const sender = createHttpSmsGateway({ accountSid: 'AC123', authToken: 'tok3n', from: '+1', baseUrl: 'https://user:pw@sms.example.com/x' });
  assert.equal(sender.channel, 'sms');
  assert.equal(sender.description, 'SMS gateway https://sms.example.com (account AC123)');
  assert.equal(createHttpSmsGateway({ accountSid: 'AC1', authToken: 't', from: '+1' }).description, 'SMS gateway https://api.twilio.com (account AC1)');
});

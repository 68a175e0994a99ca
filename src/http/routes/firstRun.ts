/**
 * The first-run page: while the deployment has no organization, `/` offers to create the first one
 * and its Master Account Holder. Afterwards `/` is the members' website (web.ts); creating further
 * organizations is done with `twofold init`.
 */
import { randomBytes } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../../services/context.ts';
import { createOrganization, hasAnyOrganization } from '../../services/organizations/createOrganization.ts';
import { Email, Name, Password, strictObject } from '../schemas.ts';
import { sendPage } from '../web.ts';

const SetupBody = strictObject({ organizationName: Name, name: Name, email: Email, password: Password });

export async function firstRunRoutes(app: FastifyInstance, ctx: Context): Promise<void> {
  app.get('/', { config: { public: true }, schema: { hide: true } }, async (request, reply) => {
    // Once an organization exists, `/` is the members' website.
    if (await hasAnyOrganization(ctx)) return sendPage(request.server.webBundle(), reply);
    const nonce = randomBytes(16).toString('base64');
    const body = setupPage(nonce);
    return reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', `default-src 'none'; script-src 'nonce-${nonce}'; style-src 'nonce-${nonce}'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`)
      .header('x-content-type-options', 'nosniff')
      .header('referrer-policy', 'no-referrer')
      .send(layout(body, nonce));
  });

  app.post<{ Body: Static<typeof SetupBody> }>('/api/v1/setup', {
    config: { public: true },
    schema: {
      tags: ['Operations'], summary: 'First run: create the first organization and its Master Account Holder', security: [],
      body: SetupBody, response: { 201: Type.Object({ organizationId: Type.String(), memberId: Type.String() }) },
    },
  }, async (request, reply) => {
    const created = await createOrganization(ctx, { ...request.body, onlyIfFirst: true });
    return reply.code(201).send(created);
  });
}

function layout(body: string, nonce: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Twofold</title><style nonce="${nonce}">body{font:16px/1.5 system-ui,sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#1d2330}
label{display:block;margin:.8rem 0 .2rem;font-weight:600}input{width:100%;padding:.5rem;font:inherit;box-sizing:border-box}
button{margin-top:1.2rem;padding:.6rem 1.2rem;font:inherit;font-weight:600}#message{margin-top:1rem}.error{color:#a40000}</style></head>
<body><h1>Twofold</h1>${body}</body></html>`;
}

function setupPage(nonce: string): string {
  return `<p>Welcome. Create your organization and its <strong>Master Account Holder</strong>, the master administrator who owns the account.</p>
<form id="setup">
<label for="organizationName">Organization name</label><input id="organizationName" name="organizationName" required maxlength="200">
<label for="name">Your name</label><input id="name" name="name" required maxlength="200" autocomplete="name">
<label for="email">Email</label><input id="email" name="email" type="email" required maxlength="254" autocomplete="email">
<label for="password">Password</label><input id="password" name="password" type="password" required minlength="8" autocomplete="new-password">
<small>At least 8 characters with three of: lowercase, uppercase, digits, special characters; no character twice in a row.</small>
<button type="submit">Create organization</button></form><p id="message" role="status"></p>
<script nonce="${nonce}">
document.getElementById('setup').addEventListener('submit', async (event) => {
  event.preventDefault();
  const message = document.getElementById('message');
  const body = Object.fromEntries(new FormData(event.target));
  const response = await fetch('/api/v1/setup', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const answer = await response.json();
  message.className = response.ok ? '' : 'error';
  message.textContent = response.ok ? 'Your organization is ready. Sign in with your email and password.' : answer.title;
  if (response.ok) event.target.remove();
});
</script>`;
}

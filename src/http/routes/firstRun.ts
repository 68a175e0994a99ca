/**
 * The first-run page: while the deployment has no organization, `/` offers to create the first one
 * and its Master Account Holder. Afterwards `/` is the members' website (web.ts); creating further
 * organizations is done with `twofold init`.
 *
 * Creating it takes the one-time setup token the server printed at start (see crypto/setupToken.ts):
 * the printed link carries it in the fragment (`/#setup-token=...`), which browsers never send, so it
 * reaches no log; the page moves it into the form and out of the address bar.
 */
import { randomBytes } from 'node:crypto';
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Context } from '../../services/context.ts';
import { createOrganization, hasAnyOrganization } from '../../services/organizations/createOrganization.ts';
import { TwofoldError } from '../../core/errors.ts';
import { isMemberLanguage, languageFromAcceptLanguage } from '../../core/languages.ts';
import type { SetupToken } from '../../crypto/setupToken.ts';
import { Email, Name, Password, strictObject } from '../schemas.ts';
import { sendPage } from '../web.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** The pending setup token, or null: then the first run happens only through `twofold init`. */
    setupToken: SetupToken | null;
  }
}

const SetupBody = strictObject({
  organizationName: Name, name: Name, email: Email, password: Password,
  // Optional in the schema so that a missing token is the same 403 as a wrong one.
  setupToken: Type.Optional(Type.String({ maxLength: 200, description: 'The one-time setup token the server printed at start.' })),
  language: Type.Optional(Type.String({ maxLength: 35, description: 'The Master Account Holder\'s language (`en`, `fr`, `it`, `de`, `es`, `pt`, `nl`); absent or another one: the first of the request\'s Accept-Language that Twofold speaks.' })),
});

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
    const { setupToken, language, ...input } = request.body;
    const token = app.setupToken;
    if (!token?.matches(setupToken)) {
      if (await hasAnyOrganization(ctx)) throw new TwofoldError('setup_already_done', 'This deployment already has an organization.');
      throw new TwofoldError('invalid_setup_token', 'Open the set-up link the server printed when it started (or run `twofold init` on the server).');
    }
    const created = await createOrganization(ctx, {
      ...input, onlyIfFirst: true,
      language: isMemberLanguage(language) ? language : languageFromAcceptLanguage(request.headers['accept-language']),
    });
    // Spent in the step that used it; from here on, onlyIfFirst refuses a second organization anyway.
    token.spend();
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
<label for="setupToken">Setup token</label><input id="setupToken" name="setupToken" required autocomplete="off" spellcheck="false">
<small>In the link the server printed when it started.</small>
<label for="organizationName">Organization name</label><input id="organizationName" name="organizationName" required maxlength="200">
<label for="name">Your name</label><input id="name" name="name" required maxlength="200" autocomplete="name">
<label for="email">Email</label><input id="email" name="email" type="email" required maxlength="254" autocomplete="email">
<label for="password">Password</label><input id="password" name="password" type="password" required minlength="8" autocomplete="new-password">
<small>At least 8 characters with three of: lowercase, uppercase, digits, special characters; no character twice in a row.</small>
<button type="submit">Create organization</button></form><p id="message" role="status"></p>
<script nonce="${nonce}">
const fromLink = new URLSearchParams(location.hash.slice(1)).get('setup-token');
if (fromLink) {
  document.getElementById('setupToken').value = fromLink;
  history.replaceState(null, '', location.pathname);
}
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

/** `twofold init`: creates an organization and its Master Account Holder, asking for what is missing. */
import { parseArgs } from 'node:util';
import { createOrganization } from '../../services/organizations/createOrganization.ts';
import { withRuntime } from '../cliRuntime.ts';
import { ask } from '../prompt.ts';

export async function initCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { organization: { type: 'string' }, email: { type: 'string' }, name: { type: 'string' }, password: { type: 'string' } },
  });
  const organizationName = values.organization ?? await ask('Organization name', { flag: '--organization' });
  const email = values.email ?? await ask('Email of the Master Account Holder', { flag: '--email' });
  const name = values.name ?? (process.stdin.isTTY && !values.email ? await ask('Their name', { flag: '--name' }) : email.split('@')[0] ?? email);
  const password = values.password ?? await ask('Password', { flag: '--password', secret: true });
  const created = await withRuntime(({ ctx }) => createOrganization(ctx, { organizationName, name, email, password }));
  process.stdout.write(`Created organization "${organizationName}" (${created.organizationId}).\n`);
  process.stdout.write(`Master Account Holder: ${email} (${created.memberId}). Sign in with this email and password.\n`);
  return 0;
}

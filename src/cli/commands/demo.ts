/**
 * `twofold demo`: a demo organization to explore: nested technician groups (one enforcing two-step
 * verification), an administrator group, administrators assigned to groups, an administrator who is
 * also a technician, and technicians. Everything is created through the same use cases as the API,
 * acting as the new organization's Master Account Holder. Prints how to sign in.
 */
import { randomBytes } from 'node:crypto';
import type { Actor, Context } from '../../services/context.ts';
import { createAdministratorGroup } from '../../services/groups/changeAdministratorGroups.ts';
import { createTechnicianGroup } from '../../services/groups/createTechnicianGroup.ts';
import { createMember } from '../../services/members/createMember.ts';
import { updateMember } from '../../services/members/updateMember.ts';
import { createOrganization } from '../../services/organizations/createOrganization.ts';
import { parseCommandArgs } from '../args.ts';
import { withRuntime } from '../cliRuntime.ts';

export const DEMO_HELP = `Usage: twofold demo

Creates a demo organization to explore: nested technician groups, an administrator group,
administrators and technicians, all with one fresh password. Prints how to sign in.

Options:
  -h, --help    Show this help`;

/** A fresh password that satisfies the strictest policy (four kinds, nothing repeated). */
function demoPassword(): string {
  const body = randomBytes(9).toString('base64url').replace(/(.)\1+/g, '$1');
  return `Tf-${body}7q`;
}

export async function demoCommand(args: string[]): Promise<number> {
  parseCommandArgs(args, DEMO_HELP, {});
  const suffix = randomBytes(3).toString('hex');
  const password = demoPassword();
  const email = (local: string) => `${local}.${suffix}@demo.twofold.test`;
  const lines = await withRuntime(async ({ ctx }) => {
    const org = await createOrganization(ctx, { organizationName: `Demo Support ${suffix}`, name: 'Morgan Master', email: email('morgan'), password });
    const master: Actor = {
      id: org.memberId, organizationId: org.organizationId, name: 'Morgan Master', email: email('morgan'), role: 'master_administrator',
      technicianGroupId: null, sessionId: 'command-line', mustChangePassword: false, client: { kind: 'website' }, ip: '127.0.0.1',
    };
    return seed(ctx, master, org.organizationId, email, password);
  });
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

async function seed(ctx: Context, master: Actor, organizationId: string, email: (local: string) => string, password: string): Promise<string[]> {
  const support = await createTechnicianGroup(ctx, master, { name: 'Support' });
  const tier1 = await createTechnicianGroup(ctx, master, { name: 'Tier 1', parentId: support.id });
  const tier2 = await createTechnicianGroup(ctx, master, { name: 'Tier 2', parentId: support.id, enforceTwoStepVerification: true });
  const field = await createTechnicianGroup(ctx, master, { name: 'Field Services' });
  const regional = await createAdministratorGroup(ctx, master, { name: 'Regional administrators' });

  const people = [
    { name: 'Mina Master', email: email('mina'), role: 'master_administrator' as const },
    { name: 'Alex Admin', email: email('alex'), role: 'administrator' as const, administratorGroupId: regional.id },
    { name: 'Bea Both', email: email('bea'), role: 'administrator' as const, technicianGroupId: tier2.id },
    { name: 'Tom Tier1', email: email('tom'), technicianGroupId: tier1.id },
    { name: 'Tia Tier2', email: email('tia'), technicianGroupId: tier2.id },
    { name: 'Finn Field', email: email('finn'), technicianGroupId: field.id },
  ];
  const created = [];
  for (const person of people) created.push(await createMember(ctx, master, { ...person, password }));
  await updateMember(ctx, master, created[1]!.id, { assignedTechnicianGroupIds: [support.id] });

  return [
    `Created the demo organization (${organizationId}).`,
    '',
    'Technician groups: Support › Tier 1, Support › Tier 2 (Enforce two-step verification), Field Services',
    '',
    `Everyone's password: ${password}`,
    `  ${email('morgan')}  Master Account Holder`,
    `  ${email('mina')}  master administrator`,
    `  ${email('alex')}  administrator (Regional administrators), assigned to Support and its subgroups`,
    `  ${email('bea')}  administrator and technician in Tier 2`,
    `  ${email('tom')}  technician in Tier 1`,
    `  ${email('tia')}  technician in Tier 2`,
    `  ${email('finn')}  technician in Field Services`,
    '',
    'Sign in: POST /api/v1/sign-in {"email": "…", "password": "…"}. Two-step verification is not',
    'enforced yet: a master administrator turns it on in PUT /api/v1/settings/two-step-verification',
    '(with technicians "selected_groups", Tier 2 members must set it up). Codes appear in `twofold outbox`.',
  ];
}

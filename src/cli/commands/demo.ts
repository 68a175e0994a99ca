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
import { generateLargeOrganization, type LargeOrganization } from '../../services/demo/generateLargeOrganization.ts';
import { parseCommandArgs, UsageError } from '../args.ts';
import { withRuntime } from '../cliRuntime.ts';

export const DEMO_HELP = `Usage: twofold demo [--members N] [--groups G]

Creates a demo organization to explore: nested technician groups, an administrator group,
administrators and technicians, all with one fresh password. Prints how to sign in.

With --members or --groups it builds a large organization instead, with bulk inserts: N members
(administrators among them) in G technician groups nested up to 8 deep, administrator groups whose
administrators are assigned technician groups, and every tenth group enforcing two-step
verification. The password is hashed once: all demo members share the demo password.

Options:
  --members N   Members of the large organization (default: 20 per group)
  --groups G    Technician groups of the large organization (default: one per 20 members)
  -h, --help    Show this help`;

/** A whole number from 1 to 1,000,000, or a usage error naming the option. */
function count(value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^[0-9]+$/.test(value) || n < 1 || n > 1_000_000) throw new UsageError(`${option} must be a whole number from 1 to 1000000`, DEMO_HELP);
  return n;
}

/** A fresh password that satisfies the strictest policy (four kinds, nothing repeated). */
function demoPassword(): string {
  const body = randomBytes(9).toString('base64url').replace(/(.)\1+/g, '$1');
  return `Tf-${body}7q`;
}

export async function demoCommand(args: string[]): Promise<number> {
  const { values } = parseCommandArgs(args, DEMO_HELP, { members: { type: 'string' }, groups: { type: 'string' } });
  const suffix = randomBytes(3).toString('hex');
  const password = demoPassword();
  const members = count(values.members, '--members');
  const groups = count(values.groups, '--groups');
  if (members !== undefined || groups !== undefined) {
    const size = { members: members ?? (groups ?? 1) * 20, groups: groups ?? Math.max(1, Math.ceil((members ?? 20) / 20)) };
    const started = performance.now();
    const org = await withRuntime(({ ctx }) => generateLargeOrganization(ctx, { ...size, password, suffix }));
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    process.stdout.write(`${describeLarge(org, password, seconds).join('\n')}\n`);
    return 0;
  }
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

function describeLarge(org: LargeOrganization, password: string, seconds: string): string[] {
  return [
    `Created the demo organization (${org.organizationId}) in ${seconds} s:`,
    `  ${org.technicians + org.administrators + 1} members (${org.administrators} administrators in ${org.administratorGroups} administrator groups),`,
    `  ${org.groups} technician groups nested ${org.depth} deep, every tenth enforcing two-step verification.`,
    '',
    `Everyone's password: ${password}`,
    `  ${org.masterEmail}  Master Account Holder`,
    ...(org.administratorEmail ? [`  ${org.administratorEmail}  administrator, assigned a top-level group and its subgroups`] : []),
    ...(org.technicianEmail ? [`  ${org.technicianEmail}  technician`] : []),
  ];
}

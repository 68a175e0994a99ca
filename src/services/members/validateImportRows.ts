/**
 * Judges every row of an import file before anything is written, collecting every problem rather
 * than stopping at the first, so one report lets the administrator fix the whole file.
 */
import { isEmailAddress } from '../../core/emailAddress.ts';
import type { ImportRowErrorCode } from '../../core/errors.ts';
import type { PasswordPolicy, Role } from '../../core/model.ts';
import { GROUP_PATH_SEPARATOR, groupNameKey } from '../../core/groupTree.ts';
import { checkPassword } from '../../core/passwordStrength.ts';
import { normalizeEmail } from './email.ts';
import type { ImportRow, ImportRowError } from './parseImportFile.ts';

const NAME_MAX = 200;

export interface ImportGroup {
  readonly id: string;
  readonly name: string;
  readonly parentId: string | null;
}

export interface ImportRules {
  readonly policy: PasswordPolicy;
  /** Emails (normalized) that already belong to a member anywhere in the deployment. */
  readonly existingEmails: ReadonlySet<string>;
  /** Every technician group of the organization, to spell paths from the root. */
  readonly groups: readonly ImportGroup[];
  /** The groups the importer may see; others are reported as unknown. */
  readonly visibleGroupIds: ReadonlySet<string>;
  /** Whether the importer may create a member with this role in this group. */
  readonly mayCreate: (role: Role | null, technicianGroupId: string | null) => boolean;
}

export interface ValidImportRow {
  readonly row: number;
  readonly name: string;
  readonly email: string;
  readonly role: Role | null;
  readonly technicianGroupId: string | null;
  readonly password: string | null;
}

export function validateImportRows(rows: readonly ImportRow[], rules: ImportRules): { valid: ValidImportRow[]; errors: ImportRowError[] } {
  const resolveGroup = groupResolver(rules.groups, rules.visibleGroupIds);
  const seen = new Map<string, number>();
  const valid: ValidImportRow[] = [];
  const errors: ImportRowError[] = [];
  for (const { row, values, problems, unreadable } of rows) {
    const rowErrors: ImportRowError[] = [...problems];
    if (unreadable) {
      errors.push(...rowErrors);
      continue;
    }
    /** A problem with one field; `details` are what a client needs to word it. */
    const bad = (field: string, code: ImportRowErrorCode, message: string, details: Partial<ImportRowError> = {}) =>
      rowErrors.push({ row, field, code, message, ...details });
    const invalidFields = new Set<string>();
    /** The field as text; null when absent. A non-text value is reported once and read as absent. */
    const text = (field: keyof typeof values): string | null => {
      const value = values[field];
      if (value === undefined) return null;
      if (typeof value === 'string') return value;
      bad(field, 'not_text', 'Must be text.');
      invalidFields.add(field);
      return null;
    };

    const name = text('name')?.trim() ?? '';
    if (invalidFields.has('name')) {
      // reported above
    } else if (name === '') bad('name', 'name_required', 'A name is required.');
    else if (name.length > NAME_MAX) bad('name', 'name_too_long', `A name has at most ${NAME_MAX} characters.`, { maximum: NAME_MAX });

    const rawEmail = text('email');
    const email = rawEmail === null ? '' : normalizeEmail(rawEmail);
    if (invalidFields.has('email')) {
      // reported above
    } else if (email === '') bad('email', 'email_required', 'An email is required.');
    else if (!isEmailAddress(email)) bad('email', 'email_invalid', 'Not a valid email address.');
    else if (rules.existingEmails.has(email)) bad('email', 'email_taken', 'A member with this email already exists.');
    else if (seen.has(email)) bad('email', 'email_repeated', `The same email is on row ${seen.get(email)} of this file.`, { otherRow: seen.get(email)! });
    else seen.set(email, row);

    const rawRole = text('role')?.trim().toLowerCase().replace(/[\s-]+/g, '_') ?? '';
    const role: Role | null | undefined = invalidFields.has('role') ? undefined
      : rawRole === '' || rawRole === 'technician' ? null
      : rawRole === 'administrator' || rawRole === 'master_administrator' ? rawRole : undefined;
    if (role === undefined && !invalidFields.has('role')) bad('role', 'role_invalid', 'The role is master_administrator, administrator, or empty for a technician.');

    const groupRef = text('technicianGroup')?.trim() ?? '';
    let technicianGroupId: string | null = null;
    if (groupRef !== '') {
      const found = resolveGroup(groupRef);
      if (typeof found === 'string') technicianGroupId = found;
      else bad('technicianGroup', found.code, found.message, { value: groupRef });
    } else if (role === null && !invalidFields.has('technicianGroup')) {
      bad('technicianGroup', 'group_required', 'A technician needs a technician group (an id or a path such as "Support/Tier 1").');
    }
    if (role !== undefined && (groupRef === '' || technicianGroupId !== null) && !rules.mayCreate(role, technicianGroupId)) {
      if (role === null) bad('technicianGroup', 'group_forbidden', 'You may not add technicians to this group.');
      else bad('role', 'role_forbidden', `You may not create members with the role ${role}.`, { value: role });
    }

    const password = text('password');
    if (password !== null) {
      const check = checkPassword(password, rules.policy);
      if (!check.ok) bad('password', 'password_too_weak', check.message, { rule: check.rule });
    }

    if (rowErrors.length > 0) errors.push(...rowErrors);
    else valid.push({ row, name, email, role: role ?? null, technicianGroupId, password });
  }
  return { valid, errors };
}

/**
 * Finds a group by id, or by its path of names from the Technicians root ("Support/Tier 1"), compared
 * as sibling names are kept unique (core/groupTree.ts groupNameKey). Unique siblings do not make paths
 * unique while a name holds the separator: a root group "A/B" and a group "B" under "A" share the
 * path "a/b". New names cannot hold it, but groups named before that rule still may, so a path that
 * names more than one group is a row error (use the id), never a guess.
 */
function groupResolver(groups: readonly ImportGroup[], visible: ReadonlySet<string>): (ref: string) => string | { code: ImportRowErrorCode; message: string } {
  const byId = new Map(groups.map((g) => [g.id, g]));
  const pathOf = (group: ImportGroup): string => {
    const names: string[] = [];
    const seen = new Set<string>();
    for (let g: ImportGroup | undefined = group; g && !seen.has(g.id); g = g.parentId === null ? undefined : byId.get(g.parentId)) {
      seen.add(g.id);
      names.unshift(groupNameKey(g.name));
    }
    return names.join(GROUP_PATH_SEPARATOR);
  };
  const byPath = new Map<string, string[]>();
  for (const group of groups) {
    if (!visible.has(group.id)) continue;
    const path = pathOf(group);
    byPath.set(path, [...byPath.get(path) ?? [], group.id]);
  }
  return (ref) => {
    if (visible.has(ref)) return ref;
    const matches = byPath.get(ref.split(GROUP_PATH_SEPARATOR).map(groupNameKey).join(GROUP_PATH_SEPARATOR)) ?? [];
    if (matches.length === 1) return matches[0]!;
    if (matches.length > 1) return { code: 'group_ambiguous', message: `More than one group has the path "${ref}"; use the group's id.` };
    return { code: 'group_unknown', message: `Unknown technician group "${ref}".` };
  };
}

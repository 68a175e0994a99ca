/**
 * A factor's every column, read beside another table's row in one query under the prefix `factor_`
 * (a left join: all null when no factor matched), and the factor made again from them. A sign-in's
 * steps read their factors this way with what else they need, one statement instead of two: each is
 * a round trip on PostgreSQL.
 */
import type { FactorRow } from './schema.ts';

export const FACTOR_COLUMNS = [
  'id', 'organization_id', 'member_id', 'type', 'label', 'epoch', 'active', 'secret', 'destination', 'last_step', 'failures',
  'locked_until', 'locked_until_reset', 'setup_transaction_id', 'created_at', 'confirmed_at', 'replaces_factor_id',
] as const satisfies ReadonlyArray<keyof FactorRow>;

/** The select list: `factors.id as factor_id`, and so on. */
export const PREFIXED_FACTOR_COLUMNS = FACTOR_COLUMNS.map((column) => `factors.${column} as factor_${column}` as const);
/** Their names in a row, made once: a sign-in rebuilds a factor from them at each step. */
const PREFIXED_NAMES = FACTOR_COLUMNS.map((column) => `factor_${column}` as const);

/** Kysely types each prefixed column as any of the columns' types (the list is mapped), so the row is read as unknowns. */
type Prefixed = { readonly [C in typeof FACTOR_COLUMNS[number] as `factor_${C}`]: unknown };

/** The factor whose columns `row` holds, or undefined when the join found none. */
export function factorFromColumns(row: Prefixed): FactorRow | undefined {
  if (row.factor_id === null) return undefined;
  const factor: Record<string, unknown> = {};
  for (let i = 0; i < FACTOR_COLUMNS.length; i++) factor[FACTOR_COLUMNS[i]!] = row[PREFIXED_NAMES[i]!];
  return factor as unknown as FactorRow;
}

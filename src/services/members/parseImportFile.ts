/**
 * Reads a bulk-import file (CSV or JSON, as the reference product takes them) into rows with the
 * row numbers a person sees in the file: for CSV the line number, the header being row 1; for JSON
 * the position in the array, from 1. Nothing is judged here beyond the file's shape.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { TwofoldError, type ImportRowErrorCode } from '../../core/errors.ts';

/** CSV or JSON, up to 500 members a file (docs/product-behaviour.md "Bulk import"). */
export const MAX_IMPORT_ROWS = 500;
export const IMPORT_FIELDS = ['name', 'email', 'role', 'technicianGroup', 'password'] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];

export type ImportFormat = 'csv' | 'json';

export interface ImportRow {
  readonly row: number;
  /** Field values as found; a JSON file may hold non-strings, which the validation reports. */
  readonly values: Partial<Record<ImportField, unknown>>;
  /** Problems with the row's shape (unknown keys, wrong column count). */
  readonly problems: ImportRowError[];
  /** The row is not a member at all (a JSON item that is not an object): only `problems` apply. */
  readonly unreadable?: boolean;
}

/** One problem, as the import report lists it. A type, not an interface, so it fits error details. */
export type ImportRowError = {
  readonly row: number | null;
  readonly field: string | null;
  /** What is wrong, for clients to word; `message` says it in English. */
  readonly code: ImportRowErrorCode;
  readonly message: string;
  /** For a weak password: the policy rule it broke. */
  readonly rule?: string;
  /** The most allowed: members in a file (too_many_rows), characters in a name (name_too_long). */
  readonly maximum?: number;
  /** The members the file holds (too_many_rows). */
  readonly count?: number;
  /** Fields in the header and in the row (column_count). */
  readonly expected?: number;
  readonly found?: number;
  /** The earlier row holding the same email (email_repeated). */
  readonly otherRow?: number;
  /** The text at fault: a column or key (unknown_column, unknown_field), a group reference (group_unknown, group_ambiguous), a role (role_forbidden). */
  readonly value?: string;
};

export function importFailed(errors: ImportRowError[], message = 'Nothing was imported: fix the rows listed and import the file again.'): TwofoldError {
  return new TwofoldError('import_failed', message, { errors });
}

export function parseImportFile(format: ImportFormat, content: string): ImportRow[] {
  const rows = format === 'csv' ? parseCsv(content) : parseJson(content);
  if (rows.length === 0) throw importFailed([{ row: null, field: null, code: 'file_empty', message: 'The file holds no members.' }], 'The file holds no members.');
  if (rows.length > MAX_IMPORT_ROWS) {
    const message = `A file may hold at most ${MAX_IMPORT_ROWS} members; this one holds ${rows.length}.`;
    throw importFailed([{ row: rows[MAX_IMPORT_ROWS]!.row, field: null, code: 'too_many_rows', message, maximum: MAX_IMPORT_ROWS, count: rows.length }], message);
  }
  return rows;
}

function parseCsv(content: string): ImportRow[] {
  let records: Array<{ record: string[]; info: { lines: number } }>;
  try {
    records = parse(content, { bom: true, skip_empty_lines: true, relax_column_count: true, info: true }) as unknown as typeof records;
  } catch (error) {
    if (error instanceof CsvError) {
      const line = typeof error['lines'] === 'number' ? error['lines'] : null;
      throw importFailed([{ row: line, field: null, code: 'csv_unreadable', message: `The CSV cannot be read: ${error.message}` }]);
    }
    throw error;
  }
  const [header, ...body] = records;
  if (!header) return [];
  const byLowerName = new Map(IMPORT_FIELDS.map((f) => [f.toLowerCase(), f]));
  const columns = header.record.map((h) => byLowerName.get(h.trim().toLowerCase()) ?? null);
  const headerErrors: ImportRowError[] = [];
  header.record.forEach((h, i) => {
    if (columns[i] === null) headerErrors.push({ row: 1, field: h, code: 'unknown_column', value: h, message: `Unknown column "${h}"; the columns are ${IMPORT_FIELDS.join(', ')}.` });
  });
  for (const required of ['name', 'email'] as const) {
    if (!columns.includes(required)) headerErrors.push({ row: 1, field: required, code: 'missing_column', message: `The header needs a "${required}" column.` });
  }
  if (new Set(columns).size !== columns.length) headerErrors.push({ row: 1, field: null, code: 'duplicate_column', message: 'A column appears twice in the header.' });
  if (headerErrors.length > 0) throw importFailed(headerErrors);

  return body.map(({ record, info }) => {
    const values: Partial<Record<ImportField, unknown>> = {};
    columns.forEach((column, i) => {
      if (column !== null && record[i] !== undefined && record[i] !== '') values[column] = record[i];
    });
    const problems: ImportRowError[] = record.length === columns.length ? [] : [{
      row: info.lines, field: null, code: 'column_count', expected: columns.length, found: record.length,
      message: `Expected ${columns.length} fields as in the header, found ${record.length}.`,
    }];
    return { row: info.lines, values, problems };
  });
}

function parseJson(content: string): ImportRow[] {
  let data: unknown;
  try {
    data = JSON.parse(content);
  } catch (error) {
    throw importFailed([{ row: null, field: null, code: 'json_unreadable', message: `The JSON cannot be read: ${error instanceof Error ? error.message : 'syntax error'}` }]);
  }
  if (!Array.isArray(data)) throw importFailed([{ row: null, field: null, code: 'json_not_array', message: 'The JSON must be an array of members.' }]);
  return data.map((item: unknown, index) => {
    const row = index + 1;
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      return { row, values: {}, problems: [{ row, field: null, code: 'not_an_object', message: 'Each member must be an object.' }], unreadable: true };
    }
    const values: Partial<Record<ImportField, unknown>> = {};
    const problems: ImportRowError[] = [];
    for (const [key, value] of Object.entries(item)) {
      if ((IMPORT_FIELDS as readonly string[]).includes(key)) {
        if (value !== null && value !== '') values[key as ImportField] = value;
      } else {
        problems.push({ row, field: key, code: 'unknown_field', value: key, message: `Unknown field "${key}"; the fields are ${IMPORT_FIELDS.join(', ')}.` });
      }
    }
    return { row, values, problems };
  });
}

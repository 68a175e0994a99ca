/**
 * CSV for reports that spreadsheets open: every cell quoted, quotes doubled, lines ending CRLF
 * (RFC 4180). A cell a spreadsheet would run as a formula (starting with = + - @, a tab or a carriage
 * return) is prefixed with a single quote, so a member named "=HYPERLINK(…)" stays text: names and
 * emails are typed by members and administrators, and the file is opened by someone else.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(value: string | number | boolean | null): string {
  const text = value === null ? '' : typeof value === 'boolean' ? (value ? 'yes' : 'no') : String(value);
  const safe = FORMULA_START.test(text) ? `'${text}` : text;
  return `"${safe.replace(/"/g, '""')}"`;
}

export function csvLine(values: ReadonlyArray<string | number | boolean | null>): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}

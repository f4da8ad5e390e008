/**
 * RFC 4180: fields with a comma, a quote or a line break are quoted, quotes doubled, lines end
 * with CRLF. A field a spreadsheet would run as a formula (=, +, -, @ first) gets a leading
 * apostrophe (OWASP "CSV injection").
 */
export function csvLine(values: readonly (string | number | null | undefined)[]): string {
  return `${values.map(csvField).join(',')}\r\n`;
}

function csvField(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Excel reads UTF-8 only with the byte order mark; other readers skip it. */
export const UTF8_BOM = '\uFEFF';

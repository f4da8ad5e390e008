import { describe, expect, it } from 'vitest';
import { csvLine } from './csv.js';

/** A strict RFC 4180 reader, to prove the writer round-trips. */
function parse(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

describe('csvLine (RFC 4180)', () => {
  it('round-trips commas, quotes, line breaks and every script', () => {
    const values = ['Dupont, Jean', 'Say "hi"', 'two\r\nlines', 'Łukasz Müller', '王小明', 'محمد', "O'Brien", ''];
    expect(parse(csvLine(values))).toEqual([values]);
  });

  it('leaves plain fields bare and turns null into an empty field', () => {
    expect(csvLine(['a', 1, null, undefined])).toBe('a,1,,\r\n');
  });

  it('defuses spreadsheet formulas', () => {
    expect(parse(csvLine(['=HYPERLINK("http://x")', '@cmd', '+1', '-2']))).toEqual([["'=HYPERLINK(\"http://x\")", "'@cmd", "'+1", "'-2"]]);
  });
});

import { z } from 'zod';

export const idSchema = z.string().min(1).max(64);

/**
 * S-6: characters that hide or reorder what a name shows: NUL and the other control
 * characters, and the bidirectional overrides, embeddings, isolates and marks ("Trojan
 * Source"). Line breaks and tabs are let through only where the text may span lines.
 */
const isControl = (code: number) => code <= 0x1f || (code >= 0x7f && code <= 0x9f);
const isLineBreak = (code: number) => code === 0x09 || code === 0x0a || code === 0x0d;
const bidiControls = /[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

export function hiddenCharacterProblem(value: string, options: { multiline?: boolean } = {}): string | null {
  if (bidiControls.test(value)) return 'Remove the text-direction control character: it makes the text show differently from what it is';
  for (const char of value) {
    const code = char.codePointAt(0)!;
    if (isControl(code) && !(options.multiline && isLineBreak(code))) return 'Remove the invisible control character (such as NUL or a line break)';
  }
  return null;
}

/** A name as people see it: trimmed, 1 to `max` characters, nothing hidden. */
export const nameSchema = (what: string, max = 100) =>
  z
    .string()
    .trim()
    .min(1, `Enter ${what}`)
    .max(max, `At most ${max} characters`)
    .superRefine((value, ctx) => {
      const problem = hiddenCharacterProblem(value);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    });

export const emailSchema = z
  .string()
  .trim()
  .min(1, 'Enter an e-mail address')
  .max(254, 'An e-mail address has at most 254 characters')
  .pipe(z.email('Enter a valid e-mail address'));

/** A free-text field a form may leave empty: empty means "not set" (null). */
export const optionalTextSchema = (max = 200, options: { multiline?: boolean } = {}) =>
  z
    .string()
    .trim()
    .max(max, `At most ${max} characters`)
    .superRefine((value, ctx) => {
      const problem = hiddenCharacterProblem(value, options);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    })
    .transform((v) => (v === '' ? null : v))
    .nullable()
    .optional();

export const pageQuerySchema = z.object({
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(25),
});

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    total: z.number().int(),
    page: z.number().int(),
    pageSize: z.number().int(),
  });

export type Page<T> = { items: T[]; total: number; page: number; pageSize: number };

export const isoDateSchema = z.string();

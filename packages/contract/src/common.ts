import { z } from 'zod';

export const idSchema = z.string().min(1).max(64);

export const emailSchema = z
  .string()
  .trim()
  .min(1, 'Enter an e-mail address')
  .max(254, 'An e-mail address has at most 254 characters')
  .pipe(z.email('Enter a valid e-mail address'));

/** A free-text field a form may leave empty: empty means "not set" (null). */
export const optionalTextSchema = (max = 200) =>
  z
    .string()
    .trim()
    .max(max, `At most ${max} characters`)
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

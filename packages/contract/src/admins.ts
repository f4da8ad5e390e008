import { z } from 'zod';
import { passwordSchema } from './auth.js';
import { emailSchema, isoDateSchema, nameSchema } from './common.js';
import { adminRoles } from './enums.js';

export const adminSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(adminRoles),
  createdAt: isoDateSchema,
  lastSignInAt: isoDateSchema.nullable(),
  twoFactorEnabled: z.boolean(),
});
export type Admin = z.infer<typeof adminSchema>;

export const adminListSchema = z.object({ items: z.array(adminSchema) });

export const createAdminInputSchema = z.object({
  name: nameSchema('a name'),
  email: emailSchema,
  role: z.enum(adminRoles, { message: 'Choose a role' }),
  password: passwordSchema,
});
export type CreateAdminInput = z.infer<typeof createAdminInputSchema>;

export const adminRoleLabels: Record<(typeof adminRoles)[number], string> = {
  super_admin: 'Super-admin',
  read_only: 'Read-only admin',
};

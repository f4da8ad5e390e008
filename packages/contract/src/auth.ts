import { z } from 'zod';
import { emailSchema, nameSchema } from './common.js';
import { adminRoles } from './enums.js';

export const passwordSchema = z
  .string()
  .min(12, 'Use at least 12 characters')
  .max(200, 'Use at most 200 characters');

export const signInInputSchema = z.object({
  email: emailSchema,
  // Any length is checked against the hash: the sign-in form must not reveal the policy.
  password: z.string().min(1, 'Enter your password').max(200),
});
export type SignInInput = z.infer<typeof signInInputSchema>;

export const setupStatusSchema = z.object({ needsSetup: z.boolean() });
export type SetupStatus = z.infer<typeof setupStatusSchema>;

export const setupInputSchema = z.object({
  token: z.string().min(1, 'The setup link is incomplete: open the link printed at start-up'),
  name: nameSchema('your name'),
  email: emailSchema,
  password: passwordSchema,
});
export type SetupInput = z.infer<typeof setupInputSchema>;

export const signedInAdminSchema = z.object({
  id: z.string(),
  email: z.string(),
  name: z.string(),
  role: z.enum(adminRoles),
});
export type SignedInAdmin = z.infer<typeof signedInAdminSchema>;

export const sessionSchema = z.object({
  admin: signedInAdminSchema,
  /** Sent back in the `X-CSRF-Token` header of every state-changing request. */
  csrfToken: z.string(),
});
export type Session = z.infer<typeof sessionSchema>;

export const CSRF_HEADER = 'X-CSRF-Token';

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
  /** The authenticator's 6-digit code or a recovery code, once the answer asked for it. */
  code: z.string().trim().max(40).optional(),
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
  twoFactor: z.object({
    enabled: z.boolean(),
    /** A super-admin requires two-factor sign-in and this admin has not set it up: nothing else works until they do. */
    setupRequired: z.boolean(),
  }),
  /** Sent back in the `X-CSRF-Token` header of every state-changing request. */
  csrfToken: z.string(),
});
export type Session = z.infer<typeof sessionSchema>;

export const CSRF_HEADER = 'X-CSRF-Token';

/**
 * Sent by the console with reads the admin caused (a click, a key, a navigation); background
 * polling goes without it and does not keep an idle session alive. Writes always count.
 */
export const ACTIVITY_HEADER = 'X-Admin-Activity';

export const changePasswordInputSchema = z.object({
  currentPassword: z.string().min(1, 'Enter your current password').max(200),
  newPassword: passwordSchema,
});
export type ChangePasswordInput = z.infer<typeof changePasswordInputSchema>;

export const passwordResetStatusSchema = z.object({
  email: z.string(),
  name: z.string(),
  /** Using the link also turns two-factor sign-in off (a lost authenticator). */
  clearsTwoFactor: z.boolean(),
});
export type PasswordResetStatus = z.infer<typeof passwordResetStatusSchema>;

export const passwordResetInputSchema = z.object({
  token: z.string().min(1, 'The link is incomplete: open the whole link you were given'),
  password: passwordSchema,
});
export type PasswordResetInput = z.infer<typeof passwordResetInputSchema>;

export const createResetLinkInputSchema = z.object({
  /** For an admin who lost their authenticator. */
  clearTwoFactor: z.boolean().default(false),
});
export type CreateResetLinkInput = z.input<typeof createResetLinkInputSchema>;

export const resetLinkSchema = z.object({ url: z.string(), expiresAt: z.string() });
export type ResetLink = z.infer<typeof resetLinkSchema>;

export const twoFactorSetupSchema = z.object({
  /** Base32, for typing into an authenticator by hand. */
  secret: z.string(),
  /** The `otpauth://` URI the QR code holds. */
  uri: z.string(),
  /** An SVG image of the QR code, as a `data:` URL. */
  qrCode: z.string(),
});
export type TwoFactorSetup = z.infer<typeof twoFactorSetupSchema>;

export const totpCodeSchema = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'Enter the 6-digit code from your authenticator app');

export const confirmTwoFactorInputSchema = z.object({ code: totpCodeSchema });
export type ConfirmTwoFactorInput = z.infer<typeof confirmTwoFactorInputSchema>;

export const twoFactorStatusSchema = z.object({ enabled: z.boolean(), recoveryCodesLeft: z.number().int() });
export type TwoFactorStatus = z.infer<typeof twoFactorStatusSchema>;

export const recoveryCodesSchema = z.object({ codes: z.array(z.string()) });
export type RecoveryCodes = z.infer<typeof recoveryCodesSchema>;

export const disableTwoFactorInputSchema = z.object({
  password: z.string().min(1, 'Enter your password').max(200),
});
export type DisableTwoFactorInput = z.infer<typeof disableTwoFactorInputSchema>;

export const securitySettingsSchema = z.object({
  /** Every admin must use two-factor sign-in. */
  requireTwoFactor: z.boolean(),
});
export type SecuritySettings = z.infer<typeof securitySettingsSchema>;

import { describe, expect, it } from 'vitest';
import { createAdminInputSchema } from './admins.js';
import { setupInputSchema } from './auth.js';
import { groupInputSchema, userInputSchema } from './directory.js';

const user = { primaryEmail: 'ana@example.com', givenName: 'Ana', familyName: 'Lima', orgUnitId: 'ou1' };
const errorsOf = (result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  Object.fromEntries((result.error?.issues ?? []).map((i) => [i.path.join('.'), i.message]));

describe('names refuse what hides or reorders them (S-6)', () => {
  it('refuses NUL and other control characters in names, with a clear error', () => {
    expect(errorsOf(userInputSchema.safeParse({ ...user, givenName: 'Ana\u0000admin' }))).toEqual({ givenName: expect.stringMatching(/invisible control character/) });
    expect(errorsOf(userInputSchema.safeParse({ ...user, familyName: 'Lima\nRoot' }))).toEqual({ familyName: expect.stringMatching(/control character/) });
    expect(errorsOf(userInputSchema.safeParse({ ...user, jobTitle: 'Boss\u0007' }))).toEqual({ jobTitle: expect.stringMatching(/control character/) });
  });

  it('refuses bidirectional overrides, embeddings and isolates ("Trojan Source")', () => {
    for (const c of ['\u202e', '\u202d', '\u202a', '\u2066', '\u2067', '\u2068', '\u2069', '\u200f', '\u061c']) {
      const shown = `moc.elpmaxe${c}@ana`;
      expect(errorsOf(groupInputSchema.safeParse({ email: 'sales@example.com', name: shown }))).toEqual({ name: expect.stringMatching(/text-direction control/) });
      expect(errorsOf(createAdminInputSchema.safeParse({ name: shown, email: 'a@example.com', role: 'read_only', password: 'long enough password' }))).toEqual({ name: expect.stringMatching(/text-direction/) });
      expect(setupInputSchema.safeParse({ token: 't', name: shown, email: 'a@example.com', password: 'long enough password' }).success).toBe(false);
    }
  });

  it('keeps every real name: accents, scripts written right to left, apostrophes; line breaks in a description', () => {
    for (const name of ['Zoé O’Brien-Łukasz', 'محمد', 'שרה', '李小龍', 'Ana\u00a0Lima']) {
      expect(userInputSchema.safeParse({ ...user, givenName: name }).success).toBe(true);
    }
    expect(groupInputSchema.safeParse({ email: 's@example.com', name: 'Sales', description: 'Line one\nLine two' }).success).toBe(true);
  });
});

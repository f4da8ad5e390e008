import { randomBytes } from 'node:crypto';
import type { Context } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { z } from 'zod';
import type { SecretBox } from '@autoprov/secrets';

const lifetimeSeconds = 180 * 24 * 60 * 60;
const sealContext = 'trusted-device';
const payloadSchema = z.object({ adminId: z.string(), device: z.string() });

/**
 * OWASP's "device cookies": a browser an admin signed in from gets a sealed cookie naming them.
 * Its attempts are counted for that browser alone, so guesses from anywhere else cannot slow
 * the real admin down or lock them out, whatever address they come from.
 */
export function deviceTrust(secrets: SecretBox, secureCookies: boolean) {
  const cookieName = secureCookies ? '__Host-autoprov_device' : 'autoprov_device';

  return {
    /** The device id when this browser holds a valid cookie for this admin, else null. */
    read(c: Context, adminId: string): string | null {
      const sealed = getCookie(c, cookieName);
      if (!sealed) return null;
      try {
        const payload = payloadSchema.parse(JSON.parse(secrets.open(sealed, sealContext)));
        return payload.adminId === adminId ? payload.device : null;
      } catch {
        return null; // forged, tampered or sealed with another key
      }
    },

    issue(c: Context, adminId: string, device = randomBytes(16).toString('base64url')): void {
      const sealed = secrets.seal(JSON.stringify({ adminId, device }), sealContext);
      setCookie(c, cookieName, sealed, { httpOnly: true, sameSite: 'Strict', secure: secureCookies, path: '/', maxAge: lifetimeSeconds });
    },
  };
}

export type DeviceTrust = ReturnType<typeof deviceTrust>;

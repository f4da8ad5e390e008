import { z } from 'zod';

/** The JSON key file the Google Cloud console downloads for a service account. */
export const serviceAccountKeySchema = z.object({
  type: z.literal('service_account', { error: 'This key is not a service account key (its "type" is not "service_account").' }),
  client_email: z.email({ error: 'The key has no valid "client_email".' }),
  client_id: z.string().min(1, 'The key has no "client_id".'),
  private_key_id: z.string().min(1, 'The key has no "private_key_id".'),
  private_key: z.string().includes('PRIVATE KEY', { error: 'The key has no "private_key".' }),
});
export type ServiceAccountKey = z.infer<typeof serviceAccountKeySchema>;

/** Reads an uploaded key, saying in words what is wrong with it. */
export function parseServiceAccountKey(text: string): { ok: true; key: ServiceAccountKey } | { ok: false; message: string } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return { ok: false, message: 'This file is not JSON. Download the key of the service account as JSON from the Google Cloud console.' };
  }
  const parsed = serviceAccountKeySchema.safeParse(json);
  if (!parsed.success) return { ok: false, message: parsed.error.issues[0]!.message };
  return { ok: true, key: parsed.data };
}

import type { admin_directory_v1, admin_reports_v1 } from '@googleapis/admin';
import type { JWT } from 'google-auth-library';
import type { ServiceAccountKey } from './key.js';
import { allGoogleScopes } from './scopes.js';

export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';

export interface GoogleConnectionSettings {
  key: ServiceAccountKey;
  /** The super-admin the service account acts as (domain-wide delegation). */
  adminEmail: string;
  /** Tests point these at a local server; production leaves them to Google's defaults. */
  rootUrl?: string;
  tokenUrl?: string;
  scopes?: string[];
}

export interface GoogleClients {
  auth: JWT;
  directory: admin_directory_v1.Admin;
  reports: admin_reports_v1.Admin;
}

/**
 * Google's own clients for the Directory and Reports APIs, authorized as the admin. Loaded on
 * first use: they weigh about 20 MB, which a console without Google Workspace does not pay.
 */
export async function googleClients(settings: GoogleConnectionSettings): Promise<GoogleClients> {
  const [{ admin_directory_v1, admin_reports_v1 }, { JWT }] = await Promise.all([import('@googleapis/admin'), import('google-auth-library')]);
  const auth = new JWT({
    email: settings.key.client_email,
    key: settings.key.private_key,
    keyId: settings.key.private_key_id,
    scopes: settings.scopes ?? allGoogleScopes,
    subject: settings.adminEmail,
  });
  if (settings.tokenUrl && settings.tokenUrl !== GOOGLE_TOKEN_URL) {
    // The library posts to Google's token endpoint by its fixed address; a test server takes its place.
    auth.transporter.interceptors.request.add({
      resolved: async (config) => {
        if (String(config.url) === GOOGLE_TOKEN_URL) config.url = new URL(settings.tokenUrl!);
        return config;
      },
    });
  }
  const common = { auth, ...(settings.rootUrl ? { rootUrl: settings.rootUrl } : {}), retry: false } as const;
  return {
    auth,
    directory: new admin_directory_v1.Admin(common),
    reports: new admin_reports_v1.Admin(common),
  };
}

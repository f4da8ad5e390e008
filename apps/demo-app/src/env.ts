import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

const list = z
  .string()
  .transform((v) => v.split(',').map((s) => s.trim()).filter(Boolean));

const envSchema = z.object({
  DEMO_APP_PORT: z.coerce.number().int().min(0).max(65535).default(3100),
  DEMO_APP_HOST: z.string().default('127.0.0.1'),
  DEMO_APP_PUBLIC_URL: z.url().optional(),
  DEMO_APP_DATA_DIR: z.string().optional(),
  DEMO_APP_ACCOUNT_KEY: z.string().regex(/^\d+$/, 'DEMO_APP_ACCOUNT_KEY is a number').default('4821937'),
  DEMO_APP_VERIFIED_DOMAINS: list.default(['example.com']),
  DEMO_APP_ADMIN_EMAIL: z.email().default('admin@example.com'),
  DEMO_APP_ADMIN_PASSWORD: z.string().min(8).optional(),
  DEMO_APP_CLIENT_ID: z.string().default('autoprov'),
  DEMO_APP_CLIENT_SECRET: z.string().default('autoprov-demo-secret'),
  DEMO_APP_REDIRECT_URIS: list.optional(),
  // autoprov's own address, read only to derive its OAuth redirect: one port variable is enough.
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  AUTOPROV_PUBLIC_URL: z.url().optional(),
  DEMO_APP_COOKIE_KEY: z.string().optional(),
});

export interface DemoAppOptions {
  port: number;
  host: string;
  publicUrl: string | undefined;
  databaseFile: string;
  accountKey: string;
  verifiedDomains: string[];
  adminEmail: string;
  /** Used only when the database is created; later changes go through the admin page. */
  adminPassword: string | undefined;
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  cookieKey: string | undefined;
}

// The one place the demo app reads process.env.
export function loadDemoAppOptions(env: NodeJS.ProcessEnv = process.env): DemoAppOptions {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) throw new Error(`Invalid demo app configuration: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const e = parsed.data;
  const dataDir = e.DEMO_APP_DATA_DIR ? resolve(e.DEMO_APP_DATA_DIR) : fileURLToPath(new URL('../../../data/demo-app', import.meta.url));
  return {
    port: e.DEMO_APP_PORT,
    host: e.DEMO_APP_HOST,
    publicUrl: e.DEMO_APP_PUBLIC_URL,
    databaseFile: resolve(dataDir, 'demo-app.sqlite'),
    accountKey: e.DEMO_APP_ACCOUNT_KEY,
    verifiedDomains: e.DEMO_APP_VERIFIED_DOMAINS.map((d) => d.toLowerCase()),
    adminEmail: e.DEMO_APP_ADMIN_EMAIL.toLowerCase(),
    adminPassword: e.DEMO_APP_ADMIN_PASSWORD,
    clientId: e.DEMO_APP_CLIENT_ID,
    clientSecret: e.DEMO_APP_CLIENT_SECRET,
    redirectUris: e.DEMO_APP_REDIRECT_URIS ?? [`${autoprovUrl(e.AUTOPROV_PUBLIC_URL, e.HOST, e.PORT)}/api/oauth/callback`],
    cookieKey: e.DEMO_APP_COOKIE_KEY,
  };
}

/** Where autoprov is reached, as autoprov itself derives it (apps/server/src/env.ts). */
function autoprovUrl(publicUrl: string | undefined, host: string, port: number) {
  if (publicUrl) return publicUrl.replace(/\/$/, '');
  // A server listening on every address is still reached on loopback from this machine.
  const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${reachable}:${port}`;
}

import { isIP } from 'node:net';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { DEMO_APP_URL } from '@autoprov/contract';
import type { AppsSettings } from './deps.js';

/** web: the console and its API; worker: the scheduler and engine (plus health and metrics); all: both. */
export const processRoles = ['web', 'worker', 'all'] as const;
export type ProcessRole = (typeof processRoles)[number];

// The one place that reads process.env; everything else receives a Config.
const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  AUTOPROV_DATA_DIR: z.string().optional(),
  /** Issue 16: a PostgreSQL database shared by several processes instead of the embedded SQLite file. */
  AUTOPROV_DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/i, 'AUTOPROV_DATABASE_URL must be a PostgreSQL address: postgres://user:password@host:5432/database')
    .optional(),
  AUTOPROV_PUBLIC_URL: z.url().optional(),
  AUTOPROV_SECRET_KEY: z
    .string()
    .regex(/^[0-9a-f]{64}$/i, 'AUTOPROV_SECRET_KEY must be 64 hex characters (32 bytes)')
    .optional(),
  AUTOPROV_CONSOLE_DIR: z.string().optional(),
  AUTOPROV_SEED_DEMO: z.enum(['true', 'false']).default('true'),
  /** Where GoToMeeting's SCIM service and OAuth server answer; the built-in demo app by default. */
  AUTOPROV_GOTOMEETING_URL: z.url().optional(),
  // Read only to find the built-in demo app when it was moved: one port variable is enough.
  DEMO_APP_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  DEMO_APP_PUBLIC_URL: z.url().optional(),
  AUTOPROV_GOTOMEETING_CLIENT_ID: z.string().min(1).default('autoprov'),
  AUTOPROV_GOTOMEETING_CLIENT_SECRET: z.string().min(1).default('autoprov-demo-secret'),
  /** Google's API root and token endpoint; set only to point autoprov at a stand-in (tests). */
  AUTOPROV_GOOGLE_ROOT_URL: z.url().optional(),
  AUTOPROV_GOOGLE_TOKEN_URL: z.url().optional(),
  AUTOPROV_GOOGLE_POLL_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
  /** Proxies (addresses or CIDR ranges, comma-separated) whose X-Forwarded-For is believed. */
  AUTOPROV_TRUSTED_PROXIES: z
    .string()
    .default('')
    .transform((v) => v.split(',').map((p) => p.trim()).filter(Boolean))
    .refine((list) => list.every(isAddressOrRange), 'AUTOPROV_TRUSTED_PROXIES must list IP addresses or CIDR ranges, comma-separated'),
  AUTOPROV_IDLE_TIMEOUT_MINUTES: z.coerce.number().int().min(1).max(720).default(30),
  /** What this process does: serve the console and API (web), run the engine (worker), or both. */
  AUTOPROV_ROLE: z.enum(processRoles, { error: `AUTOPROV_ROLE must be one of ${processRoles.join(', ')} (default all)` }).default('all'),
  /** Bearer token that /metrics asks for; without it /metrics is not served at all. */
  AUTOPROV_METRICS_TOKEN: z.string().min(32, 'AUTOPROV_METRICS_TOKEN must be at least 32 characters (for example: openssl rand -hex 32)').optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

function isAddressOrRange(entry: string): boolean {
  const [address = '', bits, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  return bits === undefined || (/^\d+$/.test(bits) && Number(bits) <= (family === 4 ? 32 : 128));
}

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseFile: string;
  /** PostgreSQL's address when set; the SQLite file otherwise. */
  databaseUrl: string | undefined;
  /** Where the console is reached: the only Host answered, the only Origin allowed to write, and whether cookies are Secure and HSTS is sent. */
  publicUrl: string;
  secretKeyHex: string | undefined;
  /** Used when no key is configured: created on first start, owner-readable only. */
  secretKeyFile: string;
  consoleDir: string;
  seedDemo: boolean;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  apps: AppsSettings;
  google: { rootUrl: string | undefined; tokenUrl: string | undefined; pollMs: number };
  /** Proxies whose X-Forwarded-For gives the client's address (sign-in throttling). */
  trustedProxies: string[];
  idleTimeoutMs: number;
  role: ProcessRole;
  metricsToken: string | undefined;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid configuration: ${problems}`);
  }
  const e = parsed.data;
  // S-6: only the public address is answered; a wildcard listen address is nobody's address.
  if (!e.AUTOPROV_PUBLIC_URL && ['0.0.0.0', '::', '[::]'].includes(e.HOST)) {
    throw new Error(`Invalid configuration: with HOST=${e.HOST}, set AUTOPROV_PUBLIC_URL to the address admins type (for example https://autoprov.example.com).`);
  }
  const gotomeetingUrl = e.AUTOPROV_GOTOMEETING_URL ?? demoAppUrl(e.DEMO_APP_PUBLIC_URL, e.DEMO_APP_PORT);
  // By default the data folder sits at the top of the checkout, wherever autoprov is started from.
  const dataDir = e.AUTOPROV_DATA_DIR ? resolve(e.AUTOPROV_DATA_DIR) : fileURLToPath(new URL('../../../data', import.meta.url));
  return {
    port: e.PORT,
    host: e.HOST,
    dataDir,
    databaseFile: resolve(dataDir, 'autoprov.sqlite'),
    databaseUrl: e.AUTOPROV_DATABASE_URL,
    publicUrl: (e.AUTOPROV_PUBLIC_URL ?? `http://${e.HOST}:${e.PORT}`).replace(/\/$/, ''),
    secretKeyHex: e.AUTOPROV_SECRET_KEY,
    secretKeyFile: resolve(dataDir, 'secret.key'),
    consoleDir: e.AUTOPROV_CONSOLE_DIR ? resolve(e.AUTOPROV_CONSOLE_DIR) : fileURLToPath(new URL('../../console/dist', import.meta.url)),
    seedDemo: e.AUTOPROV_SEED_DEMO === 'true',
    logLevel: e.LOG_LEVEL,
    google: { rootUrl: e.AUTOPROV_GOOGLE_ROOT_URL, tokenUrl: e.AUTOPROV_GOOGLE_TOKEN_URL, pollMs: e.AUTOPROV_GOOGLE_POLL_SECONDS * 1000 },
    trustedProxies: e.AUTOPROV_TRUSTED_PROXIES,
    idleTimeoutMs: e.AUTOPROV_IDLE_TIMEOUT_MINUTES * 60_000,
    role: e.AUTOPROV_ROLE,
    metricsToken: e.AUTOPROV_METRICS_TOKEN,
    apps: {
      vendorUrls: { gotomeeting: gotomeetingUrl.replace(/\/$/, '') },
      oauthClients: { gotomeeting: { clientId: e.AUTOPROV_GOTOMEETING_CLIENT_ID, clientSecret: e.AUTOPROV_GOTOMEETING_CLIENT_SECRET } },
    },
  };
}

/** The built-in demo app's address, derived the way the demo app derives it (its own env.ts). */
function demoAppUrl(publicUrl: string | undefined, port: number | undefined) {
  if (publicUrl) return publicUrl;
  if (port === undefined) return DEMO_APP_URL;
  const url = new URL(DEMO_APP_URL);
  url.port = String(port);
  return url.origin;
}

import { createHash, randomBytes } from 'node:crypto';

/**
 * Follows an authorization URL the way a browser and the app's admin would: follow redirects,
 * sign in, allow. Returns the address the app sends the browser back to (with the code).
 */
export async function consentLikeABrowser(options: { authorizationUrl: string; appUrl: string; redirectUri: string; adminEmail: string; adminPassword: string; allow?: boolean }) {
  const jar = new Map<string, string>();
  const remember = (res: Response) => {
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(';');
      const [name, ...value] = pair!.split('=');
      jar.set(name!.trim(), value.join('='));
    }
  };
  const cookie = () => [...jar].map(([k, v]) => `${k}=${v}`).join('; ');
  const go = async (url: string, init: RequestInit = {}) => {
    const res = await fetch(url, { ...init, redirect: 'manual', headers: { ...(init.headers ?? {}), cookie: cookie() } });
    remember(res);
    return res;
  };
  const absolute = (location: string) => new URL(location, options.appUrl).toString();
  const form = (fields: Record<string, string>) => ({
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });
  let res = await go(options.authorizationUrl);
  const pagesSeen: string[] = [];
  for (let step = 0; step < 12; step++) {
    if (res.status >= 300 && res.status < 400) {
      const location = absolute(res.headers.get('location')!);
      if (location.startsWith(options.redirectUri)) return { callbackUrl: location, pagesSeen };
      res = await go(location);
      continue;
    }
    const page = await res.text();
    const uid = /\/interaction\/([^/"]+)\/(login|confirm|abort)/.exec(page);
    if (!uid) throw new Error(`unexpected page (${res.status}): ${page.slice(0, 300)}`);
    pagesSeen.push(uid[2]!);
    if (uid[2] === 'login') res = await go(`${options.appUrl}/interaction/${uid[1]}/login`, form({ email: options.adminEmail, password: options.adminPassword }));
    else if (options.allow === false) res = await go(`${options.appUrl}/interaction/${uid[1]}/abort`, form({}));
    else res = await go(`${options.appUrl}/interaction/${uid[1]}/confirm`, form({}));
  }
  throw new Error('too many steps');
}

/**
 * Walks the demo app's OAuth 2.0 authorization-code + PKCE flow the way a browser and an admin
 * would (follow redirects, sign in, allow), then exchanges the code like autoprov's server.
 */
export async function authorizeLikeABrowser(options: {
  appUrl: string;
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  adminEmail: string;
  adminPassword: string;
}) {
  const verifier = randomBytes(32).toString('base64url');
  const state = randomBytes(8).toString('hex');
  const auth = new URL(`${options.appUrl}/oauth/auth`);
  auth.search = new URLSearchParams({
    client_id: options.clientId,
    redirect_uri: options.redirectUri,
    response_type: 'code',
    scope: 'openid offline_access scim:users',
    code_challenge: createHash('sha256').update(verifier).digest('base64url'),
    code_challenge_method: 'S256',
    state,
    prompt: 'consent',
  }).toString();
  const { callbackUrl, pagesSeen } = await consentLikeABrowser({ ...options, authorizationUrl: auth.toString() });
  const back = new URL(callbackUrl);
  if (back.searchParams.get('state') !== state) throw new Error('state mismatch');
  const code = back.searchParams.get('code');
  if (!code) throw new Error(`authorization refused: ${back.searchParams.get('error_description') ?? back.searchParams.get('error')}`);
  const token = await fetch(`${options.appUrl}/oauth/token`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization: `Basic ${Buffer.from(`${options.clientId}:${options.clientSecret}`).toString('base64')}`,
    },
    body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: options.redirectUri, code_verifier: verifier }).toString(),
  });
  const body = (await token.json()) as Record<string, unknown>;
  if (!token.ok) throw new Error(`token exchange failed: ${JSON.stringify(body)}`);
  return { tokens: body as { access_token: string; refresh_token: string; expires_in: number }, pagesSeen };
}

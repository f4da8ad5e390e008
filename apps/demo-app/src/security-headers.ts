import type { ServerResponse } from 'node:http';

/**
 * The security headers autoprov sends (Hono's secureHeaders with autoprov's policy), on every
 * answer of the demo app: its pages, its OAuth server and its SCIM service. Forms may also
 * lead to the registered redirect URIs (consent → back to autoprov). HSTS only over https.
 */
export function securityHeaders(publicUrl: string, redirectUris: string[]): Record<string, string> {
  const redirectOrigins = [...new Set(redirectUris.map((u) => new URL(u).origin))];
  const headers: Record<string, string> = {
    'Content-Security-Policy': [
      "default-src 'self'",
      "img-src 'self' data: https:",
      "style-src 'self' 'unsafe-inline'",
      "frame-ancestors 'none'",
      `form-action 'self' ${redirectOrigins.join(' ')}`.trim(),
    ].join('; '),
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'Origin-Agent-Cluster': '?1',
    'Referrer-Policy': 'no-referrer',
    'X-Content-Type-Options': 'nosniff',
    'X-DNS-Prefetch-Control': 'off',
    'X-Download-Options': 'noopen',
    'X-Frame-Options': 'SAMEORIGIN',
    'X-Permitted-Cross-Domain-Policies': 'none',
    'X-XSS-Protection': '0',
  };
  if (publicUrl.startsWith('https:')) headers['Strict-Transport-Security'] = 'max-age=15552000; includeSubDomains';
  return headers;
}

export function applyHeaders(res: ServerResponse, headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
}

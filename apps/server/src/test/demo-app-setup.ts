import { createDemoApp, type DemoApp } from '@autoprov/demo-app';
import { consentLikeABrowser } from '@autoprov/demo-app/testing';
import { publicUrl, testServer, type TestServerOptions } from './harness.js';
import { idpCertificate } from './idp-certificate.js';

export const admin = { adminEmail: 'admin@example.com', adminPassword: 'demo-admin-password' };
export const redirectUri = `${publicUrl}/api/oauth/callback`;
export const sso = { entityId: 'https://sso.example.com/gotomeeting', ssoUrl: 'https://sso.example.com/saml', certificate: idpCertificate };
const oauthClient = { clientId: 'autoprov', clientSecret: 'autoprov-demo-secret' };

/** The built-in demo app (SPEC §6) on 127.0.0.1, with an in-memory database. */
export async function startDemoApp(): Promise<DemoApp> {
  const demo = await createDemoApp({ databaseFile: ':memory:', accountKey: '4821937', verifiedDomains: ['example.com'], ...admin, ...oauthClient, redirectUris: [redirectUri] });
  await demo.listen(0);
  return demo;
}

/**
 * A server whose super-admin has set up GoToMeeting against `demo` through the API (SSO, OAuth
 * consent as a browser gives it, endpoint, finish): a draft, ready to activate.
 */
export async function serverWithGoToMeeting(demo: DemoApp, options: Omit<TestServerOptions, 'apps'> = {}) {
  const server = await testServer({ ...options, apps: { vendorUrls: { gotomeeting: demo.url }, oauthClients: { gotomeeting: oauthClient } } });
  const su = await server.signedIn('super_admin');
  const api = '/api/apps/gotomeeting';
  const authorize = async () => {
    const start = await su.post(`${api}/configuration/authorization`, {});
    const { callbackUrl } = await consentLikeABrowser({ authorizationUrl: start.json.authorizationUrl, appUrl: demo.url, redirectUri, ...admin });
    await su.get(new URL(callbackUrl).pathname + new URL(callbackUrl).search);
  };
  await su.request('PUT', `${api}/sso`, sso);
  await su.post(`${api}/configuration`);
  await authorize();
  const endpoint = await su.request('PUT', `${api}/configuration/endpoint`, { endpointUrl: `${demo.url}/scim/v2/accounts/4821937` });
  if (endpoint.status !== 200) throw new Error(`endpoint refused: ${JSON.stringify(endpoint.json)}`);
  const finished = await su.post(`${api}/configuration/finish`);
  if (finished.status !== 200) throw new Error(`finish refused: ${JSON.stringify(finished.json)}`);
  const configuration = async () => (await su.get(api)).json.configuration;
  return {
    server,
    su,
    api,
    authorize,
    configuration,
    /** Resolves when no run is running or waiting. */
    idle: async () => server.scheduler.idle((await configuration()).id),
  };
}

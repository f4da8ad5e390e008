import { googleClients, type GoogleConnectionSettings } from './client.js';
import { describeGoogleError, GoogleDirectoryError } from './errors.js';
import { googleScopes } from './scopes.js';

export type ConnectionTestResult =
  | { ok: true; message: string; primaryDomain: string; users: number }
  | { ok: false; problem: GoogleDirectoryError['problem']; message: string };

/**
 * "Test connection": one token per scope, so a refusal says whether delegation is missing
 * altogether or only some scope; then one read of each kind.
 */
export async function testGoogleConnection(settings: GoogleConnectionSettings): Promise<ConnectionTestResult> {
  const context = { adminEmail: settings.adminEmail, clientId: settings.key.client_id };
  try {
    const refused: string[] = [];
    let firstError: unknown = null;
    for (const scope of Object.values(googleScopes)) {
      try {
        await (await googleClients({ ...settings, scopes: [scope] })).auth.getAccessToken();
      } catch (err) {
        const problem = describeGoogleError(err, context);
        if (problem.problem !== 'delegation_missing') throw problem;
        refused.push(scope);
        firstError ??= err;
      }
    }
    if (refused.length === Object.values(googleScopes).length) throw describeGoogleError(firstError, context);
    if (refused.length > 0) {
      throw new GoogleDirectoryError(
        'scope_missing',
        `Domain-wide delegation for client ID ${settings.key.client_id} lacks ${refused.length === 1 ? 'this scope' : 'these scopes'}: ${refused.join(', ')}. Add ${refused.length === 1 ? 'it' : 'them'} in the Google Admin console (Security → Access and data control → API controls → Domain-wide delegation).`,
      );
    }
    const clients = await googleClients(settings);
    const { data: domains } = await clients.directory.domains.list({ customer: 'my_customer' });
    const { data: users } = await clients.directory.users.list({ customer: 'my_customer', maxResults: 1 });
    await clients.directory.groups.list({ customer: 'my_customer', maxResults: 1 });
    await clients.directory.orgunits.list({ customerId: 'my_customer', type: 'children' });
    await clients.reports.activities.list({ userKey: 'all', applicationName: 'admin', maxResults: 1 });
    const primaryDomain = domains.domains?.find((d) => d.isPrimary)?.domainName ?? '';
    return { ok: true, message: `Connected to ${primaryDomain} as ${settings.adminEmail}.`, primaryDomain, users: users.users?.length ?? 0 };
  } catch (err) {
    const problem = describeGoogleError(err, context);
    return { ok: false, problem: problem.problem, message: problem.message };
  }
}

import { AppError, type CatalogEntry } from '@autoprov/contract';
import type { ConfigurationRow } from '@autoprov/db';
import { checkAppConnection } from '@autoprov/engine';
import type { ServerDeps } from '../deps.js';

/** W-3: the endpoint answers as SCIM with the stored authorization, or a refusal in words on the field. */
export async function checkEndpoint(deps: Pick<ServerDeps, 'db' | 'secrets'>, row: ConfigurationRow, entry: CatalogEntry, endpointUrl: string) {
  const result = await checkAppConnection(deps.db, deps.secrets, row.id, endpointUrl, {
    accountKeyInUrl: entry.endpointTemplate?.includes('{AccountKey}') ?? false,
  });
  if (!result.ok) throw new AppError('validation_failed', result.reason, { endpointUrl: result.reason });
  return { ok: true as const, message: result.message };
}


import { catalogEntry, type AppDetail } from '@autoprov/contract';

type Configuration = NonNullable<AppDetail['configuration']>;

/**
 * An app page as the API answers it: the catalog entry of `key` and an active, fully set-up
 * configuration, with whatever a test changes on top.
 */
export function appDetail(key: string, configuration: Partial<Configuration> = {}, app: Partial<AppDetail['app']> = {}): AppDetail {
  const entry = catalogEntry(key)!;
  const origin = entry.endpointTemplate ? new URL(entry.endpointTemplate.replace(/\{[^}]+\}/g, 'x')).origin : null;
  return {
    app: { ...entry, builtInOAuth: entry.oauth !== null, ...app },
    sso: { entityId: 'https://sso.example.com', ssoUrl: 'https://sso.example.com/saml', certificate: 'MIIB', updatedAt: '2026-11-24T10:00:00.000Z' },
    availability: [],
    audit: [],
    configuration: {
      id: 'c1',
      state: 'active',
      wizardStep: 'finish',
      setupComplete: true,
      authorization: entry.authorization === 'bearer' ? 'bearer' : 'oauth',
      authorizedOrigin: origin,
      authorizedBy: 'ada@example.com',
      authorizedAt: '2026-11-24T10:00:00.000Z',
      endpointUrl: entry.endpointTemplate,
      mapping: Object.fromEntries(entry.attributes.filter((a) => a.defaultSource).map((a) => [a.path, a.defaultSource!])),
      scope: [],
      deprovisioning: {
        app_off: { delay: 'next_sync', action: 'suspend' },
        suspended: { delay: 'next_sync', action: 'suspend' },
        deleted: { delay: 'next_sync', action: 'suspend' },
      },
      heldRun: null,
      lastRun: null,
      currentRun: null,
      nextRunAt: null,
      nextRunReason: 'daily_sync',
      pendingTimers: 0,
      failuresLast24h: 0,
      accounts: 3,
      driftMode: 'correct',
      quarantine: null,
      escrow: { total: 0, items: [] },
      requestLimits: { override: null, effective: entry.limits },
      ...configuration,
    },
  };
}

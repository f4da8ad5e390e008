import * as sqlite from './schema/index.js';
import * as pg from './schema-pg/index.js';

/**
 * The tables store code imports from `@autoprov/db`. They are live bindings: a process that
 * opens PostgreSQL (AUTOPROV_DATABASE_URL) swaps them for the PostgreSQL twins (schema-pg, same
 * row shapes table for table, checked by its test) before any store code runs, so every store
 * function is written once for both databases. One process speaks one dialect.
 */
export type Dialect = 'sqlite' | 'postgres';

let dialect: Dialect = 'sqlite';

/** The dialect the tables below belong to. */
export function tablesDialect(): Dialect {
  return dialect;
}

export let admins: typeof sqlite.admins = sqlite.admins;
export let recoveryCodes: typeof sqlite.recoveryCodes = sqlite.recoveryCodes;
export let passwordResets: typeof sqlite.passwordResets = sqlite.passwordResets;
export let signInThrottle: typeof sqlite.signInThrottle = sqlite.signInThrottle;
export let securitySettings: typeof sqlite.securitySettings = sqlite.securitySettings;
export let sessions: typeof sqlite.sessions = sqlite.sessions;
export let alertSettings: typeof sqlite.alertSettings = sqlite.alertSettings;
export let alertEpisodes: typeof sqlite.alertEpisodes = sqlite.alertEpisodes;
export let organisation: typeof sqlite.organisation = sqlite.organisation;
export let domains: typeof sqlite.domains = sqlite.domains;
export let orgUnits: typeof sqlite.orgUnits = sqlite.orgUnits;
export let directoryUsers: typeof sqlite.directoryUsers = sqlite.directoryUsers;
export let directoryGroups: typeof sqlite.directoryGroups = sqlite.directoryGroups;
export let groupMembers: typeof sqlite.groupMembers = sqlite.groupMembers;
export let directoryChanges: typeof sqlite.directoryChanges = sqlite.directoryChanges;
export let directorySource: typeof sqlite.directorySource = sqlite.directorySource;
export let escrowedOperations: typeof sqlite.escrowedOperations = sqlite.escrowedOperations;
export let configurationHealth: typeof sqlite.configurationHealth = sqlite.configurationHealth;
export let appConfigurations: typeof sqlite.appConfigurations = sqlite.appConfigurations;
export let scopeGroups: typeof sqlite.scopeGroups = sqlite.scopeGroups;
export let appAvailability: typeof sqlite.appAvailability = sqlite.appAvailability;
export let provisionedAccounts: typeof sqlite.provisionedAccounts = sqlite.provisionedAccounts;
export let deprovisionTimers: typeof sqlite.deprovisionTimers = sqlite.deprovisionTimers;
export let syncRuns: typeof sqlite.syncRuns = sqlite.syncRuns;
export let runExchanges: typeof sqlite.runExchanges = sqlite.runExchanges;
export let syncReportLines: typeof sqlite.syncReportLines = sqlite.syncReportLines;
export let usageEvents: typeof sqlite.usageEvents = sqlite.usageEvents;
export let usageEventDays: typeof sqlite.usageEventDays = sqlite.usageEventDays;
export let teamMappings: typeof sqlite.teamMappings = sqlite.teamMappings;
export let provisionedTeams: typeof sqlite.provisionedTeams = sqlite.provisionedTeams;
export let ssoSettings: typeof sqlite.ssoSettings = sqlite.ssoSettings;
export let pendingAuthorizations: typeof sqlite.pendingAuthorizations = sqlite.pendingAuthorizations;
export let configurationAudit: typeof sqlite.configurationAudit = sqlite.configurationAudit;

/** Points every table above at `to`'s schema. */
export function useTablesOf(to: Dialect): void {
  dialect = to;
  const s = (to === 'postgres' ? pg : sqlite) as unknown as typeof sqlite;
  admins = s.admins;
  recoveryCodes = s.recoveryCodes;
  passwordResets = s.passwordResets;
  signInThrottle = s.signInThrottle;
  securitySettings = s.securitySettings;
  sessions = s.sessions;
  alertSettings = s.alertSettings;
  alertEpisodes = s.alertEpisodes;
  organisation = s.organisation;
  domains = s.domains;
  orgUnits = s.orgUnits;
  directoryUsers = s.directoryUsers;
  directoryGroups = s.directoryGroups;
  groupMembers = s.groupMembers;
  directoryChanges = s.directoryChanges;
  directorySource = s.directorySource;
  escrowedOperations = s.escrowedOperations;
  configurationHealth = s.configurationHealth;
  appConfigurations = s.appConfigurations;
  scopeGroups = s.scopeGroups;
  appAvailability = s.appAvailability;
  provisionedAccounts = s.provisionedAccounts;
  deprovisionTimers = s.deprovisionTimers;
  syncRuns = s.syncRuns;
  runExchanges = s.runExchanges;
  syncReportLines = s.syncReportLines;
  usageEvents = s.usageEvents;
  usageEventDays = s.usageEventDays;
  teamMappings = s.teamMappings;
  provisionedTeams = s.provisionedTeams;
  ssoSettings = s.ssoSettings;
  pendingAuthorizations = s.pendingAuthorizations;
  configurationAudit = s.configurationAudit;
}

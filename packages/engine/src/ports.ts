import type { TransportExchange } from '@autoprov/scim-client';
import type { AlertKind } from '@autoprov/contract';
import type { AppAttributes, FieldChange } from './model.js';

/** What every failed call to an app is, for the engine (E-8, E-9). */
export type AppFailureKind = 'transient' | 'not_found' | 'conflict' | 'bad_request' | 'unauthorized';

export class AppCallError extends Error {
  constructor(
    readonly kind: AppFailureKind,
    /** The reason the app gave, shown to admins as is. */
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'AppCallError';
  }
}

export interface RemoteAccount {
  id: string;
  userName: string;
  active: boolean;
  externalId?: string | null;
  /** E-19: what the account holds for the attributes asked of `listUsers`. */
  attributes?: AppAttributes;
}

/**
 * The app side of a run. Implementations retry transient failures themselves and throw
 * AppCallError for what is left.
 */
export interface AppPort {
  /** `thorough`: also find an account whose userName differs in case on a server that compares exactly. */
  findUserByUserName(userName: string, options?: { thorough?: boolean }): Promise<RemoteAccount | null>;
  /** The account with this id, or null when the app says it does not exist (404). */
  getUser(remoteId: string): Promise<RemoteAccount | null>;
  /**
   * Every account in the app, page by page (within the app's pacing): one read instead of a
   * search per user on large runs. With `attributes`, each account says what it holds for them (E-19).
   */
  listUsers(options?: { attributes?: string[] }): AsyncIterable<RemoteAccount>;
  createUser(attributes: AppAttributes): Promise<RemoteAccount>;
  /**
   * Sends exactly `changes` (E-4: `before` what the account holds, `after` what it is to hold);
   * `attributes` is the whole state it is to hold, for apps with PUT only.
   */
  updateUser(remoteId: string, changes: Record<string, FieldChange>, attributes: AppAttributes): Promise<void>;
  setActive(remoteId: string, active: boolean, attributes: AppAttributes): Promise<void>;
  /** E-3 adoption: make an account found by userName hold exactly `attributes`, active. */
  overwriteUser(remoteId: string, attributes: AppAttributes): Promise<void>;
  deleteUser(remoteId: string): Promise<void>;
  /** E-13: the app's group with this name, found or created. */
  ensureGroup(displayName: string): Promise<string>;
  changeGroupMembers(remoteGroupId: string, add: string[], remove: string[]): Promise<void>;
  /** E-17: one light request that shows whether the app answers (a quarantined app is only probed). */
  probe(): Promise<void>;
}

/**
 * Told of every request sent to an app and its answer, with the app's key: the server counts
 * them (request rates, 429s) for its metrics. Returns at once and never throws into a run.
 */
export type AppTrafficObserver = (appKey: string, exchange: TransportExchange) => void;

/** How one run wants its app port: E-20 observes every request and answer of the run. */
export interface AppForOptions {
  onExchange?: (exchange: TransportExchange) => void;
}

export interface DirectoryPortUser {
  id: string;
  primaryEmail: string;
  status: 'active' | 'suspended' | 'archived' | 'deleted';
  orgUnitPath: string;
  attributes: Record<string, string | null>;
  groupIds: ReadonlySet<string>;
}

/** The directory side: the built-in directory and Google Workspace both answer this. */
export interface DirectoryPort {
  /** The whole directory; throws if it cannot be read (then nobody is deprovisioned, E-14). */
  read(): Promise<{ primaryDomain: string; users: DirectoryPortUser[] }>;
  /**
   * The whole directory a page at a time, in increasing id order (the engine loads each page's
   * links by id range), so a full run over a large directory never holds it
   * all; without it full runs use read().
   */
  readPages?(pageSize: number): Iterable<{ primaryDomain: string; users: DirectoryPortUser[] }> | AsyncIterable<{ primaryDomain: string; users: DirectoryPortUser[] }>;
  /** Just these users (a change-driven run, E-11); without it every run reads everything. */
  readUsers?(ids: string[]): Promise<{ primaryDomain: string; users: DirectoryPortUser[] }>;
  /**
   * E-11: the directory's changes after `cursor`. Without it, runs start on schedule and by hand
   * only.
   */
  changesSince?(cursor: number): Promise<DirectoryChanges>;
}

/** The directory's changes after a cursor (E-11). */
export interface DirectoryChanges {
  /** The cursor of the newest change: a configuration that has taken these changes in moves to it. */
  upTo: number;
  /** The users these changes can affect (a change-driven run reads only them); null: everyone. Read on demand: it can cost a query. */
  affectedUserIds(): Promise<string[] | null>;
}

export interface Clock {
  now(): Date;
}

/** L-7: a condition super-admins are alerted about, for one configuration. */
export interface AlertSignal {
  kind: AlertKind;
  configurationId: string;
  /** The run that showed it, when one did. */
  runId: string | null;
  /** What happened, in words an admin reads. */
  message: string;
}

/**
 * L-7: the engine says when a condition starts and when it ends; the server keeps the episodes
 * and delivers (e-mail, webhook). Implementations return at once and never throw into a run.
 */
export interface AlertPort {
  started(signal: AlertSignal): Promise<void>;
  ended(kind: AlertKind, configurationId: string): Promise<void>;
}

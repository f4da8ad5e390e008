import type {
  AccountState,
  DeprovisionAction,
  DeprovisionDelay,
  DeprovisionTrigger,
  UserStatus,
} from '@autoprov/contract';

/** A directory user as the engine sees them, whatever the directory kind. */
export interface DirectoryUserView {
  id: string;
  primaryEmail: string;
  status: UserStatus;
  /** Attribute values the mapping can pick from, by directory attribute name. */
  attributes: Record<string, string | null>;
  /** The app is ON for the user's org unit (SPEC §1 app availability). */
  appOn: boolean;
  /** Every group the user is in, nested groups included. */
  groupIds: ReadonlySet<string>;
}

export interface ScopeGroup {
  groupId: string;
  accessLevel: string;
}

export interface DeprovisionRule {
  delay: DeprovisionDelay;
  action: DeprovisionAction;
}

export type DeprovisionRules = Record<DeprovisionTrigger, DeprovisionRule>;

/** What the plan needs to know of an app configuration. */
export interface PlanConfiguration {
  primaryDomain: string;
  /** App attribute → directory attribute (W-4). */
  mapping: Record<string, string>;
  scope: ScopeGroup[];
  /** The app's access levels from lowest to highest (E-7). */
  accessLevels: string[];
  /** Sent when no scope group is set. */
  defaultAccessLevel: string;
  rules: DeprovisionRules;
}

/** The link between a directory user and their account in the app, with what was last sent. */
export interface ProvisionedAccount {
  directoryUserId: string;
  remoteId: string;
  userName: string;
  state: AccountState;
  lastSent: AppAttributes;
}

export interface DeprovisionTimer {
  directoryUserId: string;
  trigger: DeprovisionTrigger;
  action: DeprovisionAction;
  /** When the trigger happened: the delay counts from here, also after the rule changes (M-2). */
  startedAt: Date;
  dueAt: Date;
}

/** App attribute → value, plus the access level under the key `accessLevel`. */
export type AppAttributes = Record<string, string | null>;

export const ACCESS_LEVEL = 'accessLevel';

export interface FieldChange {
  before: string | null;
  after: string | null;
}

export type Operation =
  | { kind: 'create'; userId: string; userName: string; attributes: AppAttributes }
  | { kind: 'update'; userId: string; remoteId: string; attributes: AppAttributes; changes: Record<string, FieldChange> }
  | {
      kind: 'unsuspend';
      userId: string;
      remoteId: string;
      attributes: AppAttributes;
      changes: Record<string, FieldChange>;
    }
  | { kind: 'start_timer'; userId: string; timer: DeprovisionTimer }
  | { kind: 'cancel_timer'; userId: string }
  | { kind: 'suspend'; userId: string; remoteId: string; trigger: DeprovisionTrigger; lastSent: AppAttributes }
  | { kind: 'delete'; userId: string; remoteId: string; trigger: DeprovisionTrigger; lastSent: AppAttributes };

export type OperationKind = Operation['kind'];

import { and, eq, gte, inArray, sql } from 'drizzle-orm';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { syncRunStates } from '@autoprov/contract';
import { appConfigurations, syncRuns, type AppDatabase } from '@autoprov/db';
import type { AppConnector, AppPort, AppTrafficObserver } from '@autoprov/engine';

/** What the engine's calls to an app did, as counted: writes only, reads are not operations. */
type OperationKind = 'create' | 'update' | 'deactivate' | 'reactivate' | 'adopt' | 'delete' | 'ensure_group' | 'group_members';

/** The answer an app gave to one request, in the words an operator alerts on. */
function outcomeOf(status: number | null): 'success' | 'throttled' | 'client_error' | 'server_error' | 'no_answer' {
  if (status === null) return 'no_answer';
  if (status === 429) return 'throttled';
  if (status >= 500) return 'server_error';
  if (status >= 400) return 'client_error';
  return 'success';
}

/** A run in one of these states is over: its state is its result. */
const finishedStates = syncRunStates.filter((s) => s !== 'pending' && s !== 'running');

/**
 * The process's Prometheus metrics (issue 16), registered here and nowhere else: the engine
 * knows nothing of prom-client, it is observed through its ports (the app port, the traffic
 * observer) and its database.
 */
export class ServerMetrics {
  readonly registry = new Registry();
  private readonly appRequests: Counter<'app' | 'outcome'>;
  private readonly operations: Counter<'app' | 'kind' | 'result'>;

  constructor(
    private readonly db: AppDatabase,
    options: { runsEngine: boolean; startedAt: Date },
  ) {
    collectDefaultMetrics({ register: this.registry });
    this.appRequests = new Counter({
      name: 'autoprov_app_requests_total',
      help: 'Requests this process sent to apps, by app and outcome (throttled: the app answered 429).',
      labelNames: ['app', 'outcome'],
      registers: [this.registry],
    });
    this.operations = new Counter({
      name: 'autoprov_operations_total',
      help: 'Changes this process made in apps (create, update, deactivate, ...), by app, kind and result.',
      labelNames: ['app', 'kind', 'result'],
      registers: [this.registry],
    });
    // The queue is the database's, shared by every process: each one reports the same numbers.
    new Gauge({
      name: 'autoprov_run_queue',
      help: 'Runs waiting (pending) and going on (running), across every app.',
      labelNames: ['state'],
      registers: [this.registry],
      async collect() {
        const rows = await db
          .select({ state: syncRuns.state, n: sql<number>`count(*)`.mapWith(Number) })
          .from(syncRuns)
          .where(inArray(syncRuns.state, ['pending', 'running']))
          .groupBy(syncRuns.state);
        this.reset();
        for (const state of ['pending', 'running'] as const) this.set({ state }, rows.find((r) => r.state === state)?.n ?? 0);
      },
    });
    if (options.runsEngine) {
      const since = options.startedAt;
      // Read back from the runs this process's engine finished (with SQLite, one process runs
      // the engine): counting from the database keeps the engine free of metrics code.
      new Counter({
        name: 'autoprov_runs_total',
        help: 'Runs finished since this process started, by trigger and result (the run state); dry runs included.',
        labelNames: ['trigger', 'result'],
        registers: [this.registry],
        async collect() {
          const rows = await db
            .select({ trigger: syncRuns.trigger, state: syncRuns.state, n: sql<number>`count(*)`.mapWith(Number) })
            .from(syncRuns)
            .where(and(inArray(syncRuns.state, finishedStates), gte(syncRuns.endedAt, since)))
            .groupBy(syncRuns.trigger, syncRuns.state);
          this.reset();
          for (const r of rows) this.inc({ trigger: r.trigger, result: r.state }, r.n);
        },
      });
    }
  }

  /** For appConnector: every request to an app and its answer. */
  readonly appTraffic: AppTrafficObserver = (appKey, exchange) => {
    this.appRequests.inc({ app: appKey, outcome: outcomeOf(exchange.status) });
  };

  /** The engine's app ports, each write counted by kind and result as it returns or throws. */
  countOperations(appFor: AppConnector): AppConnector {
    const counted = async (configurationId: string, options?: Parameters<AppConnector>[1]): Promise<AppPort> => {
      const port = await appFor(configurationId, options);
      const app = (await this.db.select({ appKey: appConfigurations.appKey }).from(appConfigurations).where(eq(appConfigurations.id, configurationId)).limit(1))[0]?.appKey ?? 'unknown';
      const count = async <T>(kind: OperationKind, call: () => Promise<T>): Promise<T> => {
        try {
          const result = await call();
          this.operations.inc({ app, kind, result: 'succeeded' });
          return result;
        } catch (err) {
          this.operations.inc({ app, kind, result: 'failed' });
          throw err;
        }
      };
      return {
        findUserByUserName: (userName, o) => port.findUserByUserName(userName, o),
        getUser: (remoteId) => port.getUser(remoteId),
        listUsers: (o) => port.listUsers(o),
        createUser: (attributes) => count('create', () => port.createUser(attributes)),
        updateUser: (remoteId, changes, attributes) => count('update', () => port.updateUser(remoteId, changes, attributes)),
        setActive: (remoteId, active, attributes) => count(active ? 'reactivate' : 'deactivate', () => port.setActive(remoteId, active, attributes)),
        overwriteUser: (remoteId, attributes) => count('adopt', () => port.overwriteUser(remoteId, attributes)),
        deleteUser: (remoteId) => count('delete', () => port.deleteUser(remoteId)),
        ensureGroup: (displayName) => count('ensure_group', () => port.ensureGroup(displayName)),
        changeGroupMembers: (groupId, add, remove) => count('group_members', () => port.changeGroupMembers(groupId, add, remove)),
        probe: () => port.probe(),
      };
    };
    return Object.assign(counted, { close: () => appFor.close() });
  }
}

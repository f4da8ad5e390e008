import { ScimError, type ScimClient, type ScimResource } from '@autoprov/scim-client';
import { AppCallError, type AppPort, type RemoteAccount } from './ports.js';
import { fromScimUser, toPatchOperations, toScimUser } from './scim-resource.js';

function remote(r: ScimResource, attributes?: string[]): RemoteAccount {
  const account: RemoteAccount = { id: r.id, userName: String(r.userName ?? ''), active: r.active !== false };
  if (typeof r.externalId === 'string') account.externalId = r.externalId;
  if (attributes) account.attributes = fromScimUser(r, attributes);
  return account;
}

async function call<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (err) {
    if (!(err instanceof ScimError)) throw err;
    throw new AppCallError(err.kind === 'bad_response' ? 'bad_request' : err.kind, err.reason);
  }
}

/** The app side of a run, spoken in SCIM 2.0: PATCH where the app has it, PUT otherwise (E-4). */
export function scimAppPort(client: ScimClient): AppPort {
  return {
    findUserByUserName: (userName, options) =>
      call(async () => {
        const found = await client.findUserByUserName(userName, options);
        return found ? remote(found) : null;
      }),
    getUser: (remoteId) =>
      call(async () => {
        try {
          return remote(await client.getUser(remoteId));
        } catch (err) {
          if (err instanceof ScimError && err.kind === 'not_found') return null;
          throw err;
        }
      }),
    listUsers: (options) => ({
      async *[Symbol.asyncIterator]() {
        try {
          for await (const r of client.listUsers(500)) yield remote(r, options?.attributes);
        } catch (err) {
          if (!(err instanceof ScimError)) throw err;
          throw new AppCallError(err.kind === 'bad_response' ? 'bad_request' : err.kind, err.reason);
        }
      },
    }),
    createUser: (attributes) => call(async () => remote(await client.createUser(toScimUser(attributes)))),
    updateUser: (remoteId, changes, attributes) =>
      call(async () => {
        if ((await client.serviceProviderConfig()).patch) await client.patchUser(remoteId, toPatchOperations(changes, attributes));
        else await client.replaceUser(remoteId, toScimUser(attributes, true));
      }),
    setActive: (remoteId, active, attributes) =>
      call(async () => {
        if ((await client.serviceProviderConfig()).patch) await client.patchUser(remoteId, [{ op: 'replace', path: 'active', value: active }]);
        else await client.replaceUser(remoteId, toScimUser(attributes, active));
      }),
    overwriteUser: (remoteId, attributes) =>
      call(async () => {
        const { schemas: _schemas, ...value } = toScimUser(attributes, true);
        // A PATCH replace without a path sets whole attributes, so it cannot miss a sub-value.
        if ((await client.serviceProviderConfig()).patch) await client.patchUser(remoteId, [{ op: 'replace', value }]);
        else await client.replaceUser(remoteId, toScimUser(attributes, true));
      }),
    deleteUser: (remoteId) => call(() => client.deleteUser(remoteId)),
    ensureGroup: (displayName) =>
      call(async () => (await client.findGroupByDisplayName(displayName))?.id ?? (await client.createGroup(displayName)).id),
    changeGroupMembers: (remoteGroupId, add, remove) => call(() => client.patchGroupMembers(remoteGroupId, add, remove)),
    probe: () => call(() => client.probe()),
  };
}

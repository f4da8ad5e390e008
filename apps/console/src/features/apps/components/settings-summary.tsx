import { deprovisionTriggerLabels, deprovisionTriggers, directoryAttributes, type AppDetail, type Configuration } from '@autoprov/contract';
import { actionLabels, delayLabels, formatTime } from '../../../lib/labels';

const authorizationKinds = { oauth: 'OAuth 2.0', bearer: 'Bearer token' } as const;

/**
 * The configuration's current settings at a glance, for every admin (read-only admins too:
 * they may read everything): authorization, endpoint, mapping, scope with access levels and
 * teams, deprovisioning. Nothing here changes anything.
 */
export function SettingsSummary({ detail, configuration }: { detail: AppDetail; configuration: Configuration }) {
  const { app } = detail;
  const levelLabel = (value: string) => app.accessLevels.find((l) => l.value === value)?.label ?? value;
  const sourceLabel = (source: string) => (source in directoryAttributes ? directoryAttributes[source as keyof typeof directoryAttributes] : source);
  const mapped = app.attributes.filter((a) => configuration.mapping[a.path]);
  const teams = new Map<string, string[]>();
  for (const g of configuration.scope) if (g.teamName) teams.set(g.teamName, [...(teams.get(g.teamName) ?? []), g.name]);

  return (
    <section className="card stack" aria-labelledby="settings-heading">
      <h2 id="settings-heading">Current settings</h2>

      <dl className="details">
        <dt>Authorization</dt>
        <dd>
          {configuration.authorization ? (
            <>
              {authorizationKinds[configuration.authorization]}
              {configuration.authorizedBy ? `, by ${configuration.authorizedBy}` : ''}
              {configuration.authorizedAt ? ` on ${formatTime(configuration.authorizedAt)}` : ''}
              {configuration.state === 'needs_reauthorization' ? ` — ${app.name} no longer accepts it` : ''}
            </>
          ) : (
            'Not authorized yet'
          )}
        </dd>
        <dt>Endpoint URL</dt>
        <dd style={{ overflowWrap: 'anywhere' }}>{configuration.endpointUrl ?? 'Not set yet'}</dd>
      </dl>

      <h3 id="settings-mapping">Attribute mapping</h3>
      {mapped.length ? (
        <table aria-labelledby="settings-mapping">
          <thead>
            <tr>
              <th scope="col">{app.name} attribute</th>
              <th scope="col">Directory attribute</th>
            </tr>
          </thead>
          <tbody>
            {mapped.map((a) => (
              <tr key={a.path}>
                <td>
                  {a.label}
                  {a.required ? (
                    <>
                      <span aria-hidden="true"> *</span>
                      <span className="visually-hidden"> (required)</span>
                    </>
                  ) : null}
                </td>
                <td>{sourceLabel(configuration.mapping[a.path]!)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="muted">No attribute is mapped yet.</p>
      )}

      <h3 id="settings-scope">Scope</h3>
      {configuration.scope.length ? (
        <table aria-labelledby="settings-scope">
          <thead>
            <tr>
              <th scope="col">Group</th>
              <th scope="col">Access level</th>
              {app.takesGroups ? <th scope="col">Team in {app.name}</th> : null}
            </tr>
          </thead>
          <tbody>
            {configuration.scope.map((g) => (
              <tr key={g.groupId}>
                <td>
                  {g.name} <span className="muted">{g.email}</span>
                </td>
                <td>{levelLabel(g.accessLevel)}</td>
                {app.takesGroups ? <td>{g.teamName || <span className="muted">None</span>}</td> : null}
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>
          No scope group: every user for whom {app.name} is ON is provisioned, with the access level{' '}
          {levelLabel(app.defaultAccessLevel)}.
        </p>
      )}
      {app.takesGroups ? (
        <>
          <h3 id="settings-teams">Teams</h3>
          {teams.size ? (
            <ul aria-labelledby="settings-teams">
              {[...teams].map(([team, groups]) => (
                <li key={team}>
                  {team} ← {groups.join(', ')}
                </li>
              ))}
            </ul>
          ) : (
            <p className="muted">No directory group is sent as a team.</p>
          )}
        </>
      ) : null}

      <h3 id="settings-deprovisioning">Deprovisioning</h3>
      <table aria-labelledby="settings-deprovisioning">
        <thead>
          <tr>
            <th scope="col">When</th>
            <th scope="col">Delay</th>
            <th scope="col">Action</th>
          </tr>
        </thead>
        <tbody>
          {deprovisionTriggers.map((t) => (
            <tr key={t}>
              <td>{deprovisionTriggerLabels[t]}</td>
              <td>{delayLabels[configuration.deprovisioning[t].delay]}</td>
              <td>{actionLabels[configuration.deprovisioning[t].action]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

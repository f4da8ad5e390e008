import { useEffect, useMemo, useRef, useState } from 'react';
import { useFieldArray } from 'react-hook-form';
import { scopeInputSchemaFor, type AppDetail, type ScopeFormInput, type ScopeInput } from '@autoprov/contract';
import { FormActions } from '../../../components/ui/form-actions';
import { FormAlert } from '../../../components/ui/states';
import { GroupSearch } from '../../../components/group-search';
import { notify } from '../../../lib/notify';
import { useSchemaForm } from '../../../lib/use-schema-form';
import { fetchScopeImpact, useImpactPreview, useSaveScope } from '../../../lib/api/apps';
import { ImpactDialog, impactSentence, levelLabelOf } from './impact-summary';

export type ScopeDraft = ScopeFormInput & { names: Record<string, string> };

interface ScopeEditorProps {
  detail: AppDetail;
  initial: ScopeDraft;
  submitLabel: string;
  onSaved: () => void;
  onBack: () => void;
  backLabel?: string;
  /** Called when the editor goes away, with what was typed (the wizard keeps it for Back). */
  onLeave?: (draft: ScopeDraft) => void;
}

/** W-5 and M-1: search groups as you type, give each an access level, remove any. */
export function ScopeEditor({ detail, initial, submitLabel, onSaved, onBack, backLabel = 'Back', onLeave }: ScopeEditorProps) {
  const save = useSaveScope(detail.app.key);
  const schema = useMemo(() => scopeInputSchemaFor(detail.app), [detail.app]);
  const [names, setNames] = useState(initial.names);
  const searchRef = useRef<HTMLInputElement>(null);
  const removeButtons = useRef<(HTMLButtonElement | null)[]>([]);
  const focusAfterRemove = useRef<number | null>(null);
  // M-6: once the setup is finished the scope moves live accounts, so its impact is shown first.
  const live = Boolean(detail.configuration?.setupComplete);
  const preview = useImpactPreview((input: ScopeInput) => fetchScopeImpact(detail.app.key, input));
  const [proposed, setProposed] = useState<Awaited<ReturnType<typeof preview.mutateAsync>> | null>(null);
  const apply = async (values: ScopeInput) => {
    await save.mutateAsync(values);
    onSaved();
  };
  const { form, alert, onSubmit: submit, fail: showError } = useSchemaForm({
    schema,
    defaultValues: { groups: initial.groups },
    serverFields: (values) => values.groups.flatMap((_, i) => [`groups.${i}.accessLevel`, `groups.${i}.groupId`, `groups.${i}.teamName`]),
    submit: async (values) => (live ? setProposed(await preview.mutateAsync(values)) : apply(values)),
  });
  const groups = useFieldArray({ control: form.control, name: 'groups', keyName: 'key' });
  useEffect(() => () => onLeave?.({ ...form.getValues(), names }), [form, names, onLeave]);

  const chosen = new Set(groups.fields.map((g) => g.groupId));
  // After a removal, focus goes to the row that took its place (or the last one, or the search).
  useEffect(() => {
    const at = focusAfterRemove.current;
    if (at === null) return;
    focusAfterRemove.current = null;
    const count = groups.fields.length;
    (count > 0 ? removeButtons.current[Math.min(at, count - 1)] : searchRef.current)?.focus();
  }, [groups.fields.length]);
  const confirm = async () => {
    if (!proposed) return;
    try {
      await apply(proposed.input);
      notify.done(`Scope of ${detail.app.name} updated. ${impactSentence(proposed.impact)}`);
    } catch (err) {
      showError(err);
    } finally {
      setProposed(null);
    }
  };

  return (
    <form className="stack" onSubmit={submit} noValidate>
      <p>
        Only members of the groups below are provisioned, with the access level of their group (the highest if they are in several). With no
        group, every user for whom {detail.app.name} is ON is provisioned.
      </p>
      <p className="notice">Users outside your organisation, and users whose address is in a secondary domain, are never provisioned.</p>
      {detail.app.takesGroups ? (
        <p className="muted">
          {detail.app.name} takes groups as teams: give a group a team name to create that team in {detail.app.name} and keep its members in step.
          Several groups may share one team.
        </p>
      ) : null}
      <FormAlert message={alert} />
      <GroupSearch
        ref={searchRef}
        added={chosen}
        onPick={(g) => {
          setNames((n) => ({ ...n, [g.id]: g.name }));
          groups.append({ groupId: g.id, accessLevel: detail.app.defaultAccessLevel, teamName: '' }, { shouldFocus: false });
        }}
      />
      {groups.fields.length === 0 ? (
        <p className="muted">No group chosen: every user for whom the app is ON is in scope.</p>
      ) : (
        <table>
          <caption className="visually-hidden">Groups in the scope</caption>
          <thead>
            <tr>
              <th scope="col">Group</th>
              <th scope="col">Access level</th>
              {detail.app.takesGroups ? <th scope="col">Team in {detail.app.name}</th> : null}
              <th scope="col">
                <span className="visually-hidden">Remove</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {groups.fields.map((field, i) => {
              const name = names[field.groupId] ?? field.groupId;
              const error = form.formState.errors.groups?.[i]?.accessLevel ?? form.formState.errors.groups?.[i]?.groupId;
              return (
                <tr key={field.key}>
                  <td>{name}</td>
                  <td>
                    <select aria-label={`Access level for ${name}`} aria-invalid={Boolean(error)} {...form.register(`groups.${i}.accessLevel`)}>
                      {detail.app.accessLevels.map((l) => (
                        <option key={l.value} value={l.value}>
                          {l.label}
                        </option>
                      ))}
                    </select>
                    {error?.message ? (
                      <p className="field-error" role="alert">
                        {error.message}
                      </p>
                    ) : null}
                  </td>
                  {detail.app.takesGroups ? (
                    <td>
                      <input
                        aria-label={`Team in ${detail.app.name} for ${name}`}
                        placeholder="No team"
                        aria-invalid={Boolean(form.formState.errors.groups?.[i]?.teamName)}
                        {...form.register(`groups.${i}.teamName`)}
                      />
                      {form.formState.errors.groups?.[i]?.teamName?.message ? (
                        <p className="field-error" role="alert">
                          {form.formState.errors.groups[i]!.teamName!.message}
                        </p>
                      ) : null}
                    </td>
                  ) : null}
                  <td>
                    <button
                      type="button"
                      className="small secondary"
                      ref={(el) => {
                        removeButtons.current[i] = el;
                      }}
                      onClick={() => {
                        focusAfterRemove.current = i;
                        groups.remove(i);
                      }}
                    >
                      Remove<span className="visually-hidden"> {name}</span>
                    </button>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <FormActions onBack={onBack} backLabel={backLabel} submitLabel={submitLabel} pending={save.isPending || preview.isPending} />
      <ImpactDialog
        title={`Update the scope of ${detail.app.name}?`}
        impact={proposed?.impact ?? null}
        appName={detail.app.name}
        levelLabel={levelLabelOf(detail.app.accessLevels)}
        confirmLabel="Update scope"
        pending={save.isPending}
        onConfirm={() => void confirm()}
        onClose={() => setProposed(null)}
      />
    </form>
  );
}

export function scopeDraftOf(configuration: NonNullable<AppDetail['configuration']>): ScopeDraft {
  return {
    groups: configuration.scope.map((g) => ({ groupId: g.groupId, accessLevel: g.accessLevel, teamName: g.teamName })),
    names: Object.fromEntries(configuration.scope.map((g) => [g.groupId, g.name])),
  };
}

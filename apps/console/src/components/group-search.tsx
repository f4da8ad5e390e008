import { useQuery } from '@tanstack/react-query';
import { forwardRef, useState } from 'react';
import type { GroupSummary } from '@autoprov/contract';
import { groupsQueryOptions } from '../features/directory/api/groups';
import { useDebounced } from '../lib/use-debounced';
import { SearchCombobox } from './ui/search-combobox';

type PickedGroup = Pick<GroupSummary, 'id' | 'name' | 'email'>;

interface GroupSearchProps {
  label?: string;
  /** Groups listed but not pickable (already chosen, or the group itself). */
  added?: ReadonlySet<string>;
  /** Groups not listed at all. */
  hidden?: ReadonlySet<string>;
  onPick: (group: PickedGroup) => void;
}

/**
 * The one way to find a directory group (W-5, M-1, group members): type letters, move with the
 * arrow keys, Enter adds the group and the box clears for the next one.
 */
export const GroupSearch = forwardRef<HTMLInputElement, GroupSearchProps>(function GroupSearch({ label = 'Search groups', added, hidden, onPick }, ref) {
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim());
  const found = useQuery({ ...groupsQueryOptions({ q, pageSize: 8 }), enabled: q !== '' });
  const options = q
    ? found.data?.items
        .filter((g) => !hidden?.has(g.id))
        .map((g) => ({ id: g.id, label: g.name, detail: g.email, disabled: added?.has(g.id) ?? false }))
    : undefined;
  return (
    <SearchCombobox
      ref={ref}
      label={label}
      placeholder="Type one or more letters"
      query={search}
      onQueryChange={setSearch}
      options={options}
      loading={found.isFetching || search.trim() !== q}
      noMatch={(t) => `No group matches “${t}”.`}
      onPick={(o) => {
        const group = found.data?.items.find((g) => g.id === o.id);
        if (!group) return;
        setSearch('');
        onPick({ id: group.id, name: group.name, email: group.email });
      }}
    />
  );
});

import { Combobox, ComboboxInput, ComboboxOption, ComboboxOptions } from '@headlessui/react';
import { forwardRef, useId, type KeyboardEvent } from 'react';

export interface SearchOption {
  id: string;
  label: string;
  /** Secondary text, e.g. the e-mail address. */
  detail?: string;
  /** Shown but not pickable (already chosen). */
  disabled?: boolean;
}

interface SearchComboboxProps {
  label: string;
  placeholder?: string;
  query: string;
  onQueryChange: (query: string) => void;
  /** The options for the (debounced) query; undefined while none was asked for. */
  options: SearchOption[] | undefined;
  loading?: boolean;
  onPick: (option: SearchOption) => void;
  /** What is said when nothing matches the query. */
  noMatch?: (query: string) => string;
}

/**
 * Search as you type, then pick with the arrow keys and Enter (or a click): Headless UI's
 * combobox, so the ARIA pattern and the keyboard are right. Enter never submits the form around it.
 */
export const SearchCombobox = forwardRef<HTMLInputElement, SearchComboboxProps>(function SearchCombobox(
  { label, placeholder, query, onQueryChange, options, loading = false, onPick, noMatch = (q) => `Nothing matches “${q}”.` },
  ref,
) {
  const id = useId();
  // Headless UI takes Enter (and stops it) when the list is open on an active option; an Enter
  // it leaves alone would reach the surrounding form and submit it, so it ends here.
  const keepEnter = (e: KeyboardEvent) => {
    if (e.key === 'Enter') e.preventDefault();
  };
  const typed = query.trim();
  const empty = typed !== '' && options !== undefined && options.length === 0 && !loading;
  return (
    <div className="field combobox" onKeyDown={keepEnter}>
      <label htmlFor={id}>{label}</label>
      <Combobox<SearchOption | null>
        value={null}
        onChange={(option) => {
          if (option && !option.disabled) onPick(option);
        }}
      >
        <ComboboxInput<SearchOption | null>
          id={id}
          ref={ref}
          autoComplete="off"
          placeholder={placeholder}
          displayValue={() => query}
          onChange={(e) => onQueryChange(e.target.value)}
        />
        {typed && options && options.length > 0 ? (
          <ComboboxOptions className="combobox-options" aria-label={label.replace(/^Search /, '')}>
            {options.map((o) => (
              <ComboboxOption key={o.id} value={o} disabled={o.disabled} className="combobox-option">
                <span>{o.label}</span>
                {o.detail ? <span className="muted"> {o.detail}</span> : null}
                {o.disabled ? <span className="muted"> (already added)</span> : null}
              </ComboboxOption>
            ))}
          </ComboboxOptions>
        ) : null}
      </Combobox>
      <p className="muted combobox-status" role="status">
        {empty ? noMatch(typed) : ''}
      </p>
    </div>
  );
});

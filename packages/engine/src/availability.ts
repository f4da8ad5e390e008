/** Whether the app is ON for an org unit, and the unit whose setting says so (null: the default). */
export interface Availability {
  on: boolean;
  setAt: string | null;
}

/**
 * SPEC §1 app availability: an org unit takes the setting of its nearest ancestor that has one;
 * with no setting anywhere the app is ON (as in the Google console). E-20 tells which unit decided.
 */
export function availabilityExplainer(settings: ReadonlyMap<string, boolean>): (orgUnitPath: string) => Availability {
  const cache = new Map<string, Availability>();
  const resolve = (path: string): Availability => {
    const known = cache.get(path);
    if (known !== undefined) return known;
    const own = settings.get(path);
    let result: Availability;
    if (own !== undefined) result = { on: own, setAt: path };
    else if (path === '/' || path === '') result = { on: true, setAt: null };
    else result = resolve(path.slice(0, path.lastIndexOf('/')) || '/');
    cache.set(path, result);
    return result;
  };
  return resolve;
}

/** SPEC §1 app availability, as the planner asks it: is the app ON for this org unit? */
export function availabilityResolver(settings: ReadonlyMap<string, boolean>): (orgUnitPath: string) => boolean {
  const explain = availabilityExplainer(settings);
  return (path) => explain(path).on;
}

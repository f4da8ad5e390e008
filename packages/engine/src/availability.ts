/**
 * SPEC §1 app availability: an org unit takes the setting of its nearest ancestor that has one;
 * with no setting anywhere the app is ON (as in the Google console).
 */
export function availabilityResolver(settings: ReadonlyMap<string, boolean>): (orgUnitPath: string) => boolean {
  const cache = new Map<string, boolean>();
  const resolve = (path: string): boolean => {
    const known = cache.get(path);
    if (known !== undefined) return known;
    const own = settings.get(path);
    let result: boolean;
    if (own !== undefined) result = own;
    else if (path === '/' || path === '') result = true;
    else result = resolve(path.slice(0, path.lastIndexOf('/')) || '/');
    cache.set(path, result);
    return result;
  };
  return resolve;
}

import { describe, expect, it } from 'vitest';
import { catalog, catalogEntry } from './catalog.js';

/** What a token bucket lets through in `windowS` seconds at most: the burst, then the rate. */
const mostIn = (key: string, windowS: number) => {
  const { ratePerSecond, burst } = catalogEntry(key)!.limits;
  return burst + ratePerSecond * windowS;
};

describe('the catalog of real apps (issue 15 item 3)', () => {
  it('has the apps of the issue, each usable by the wizard', () => {
    expect(catalog.map((e) => e.key)).toEqual(['gotomeeting', 'workleap', 'custom-scim', 'slack', 'github-emu', 'aws-iam-identity-center', 'zoom', 'miro', 'atlassian', 'dropbox']);
    for (const entry of catalog) {
      expect(entry.attributes.find((a) => a.path === 'userName')?.required, entry.key).toBe(true);
      expect(entry.accessLevels.map((l) => l.value), entry.key).toContain(entry.defaultAccessLevel);
      expect(new Set(entry.attributes.map((a) => a.path)).size, entry.key).toBe(entry.attributes.length);
      // A template's placeholders are the admin's to replace (W-3); the rest is a valid URL.
      if (entry.endpointTemplate) expect(() => new URL(entry.endpointTemplate!.replace(/\{\w+\}/g, 'x')), entry.key).not.toThrow();
      expect(entry.oauth === null || entry.authorization !== 'bearer', entry.key).toBe(true);
    }
  });

  it("paces each app within its vendor's published window", () => {
    /** What one operation may send in `windowS` seconds: its own bucket, or the app's pace if lower. */
    const mostOf = (key: string, operation: string, windowS: number) => {
      const own = catalogEntry(key)!.limits.perOperation?.find((l) => l.operations.includes(operation));
      return Math.min(mostIn(key, windowS), own ? own.burst + own.ratePerSecond * windowS : Infinity);
    };
    // Slack: 180 per minute for each operation, 600 writes a minute for the whole organisation.
    for (const operation of ['POST /Users', 'PUT /Users', 'PATCH /Users', 'DELETE /Users']) expect(mostOf('slack', operation, 60), operation).toBeLessThanOrEqual(180);
    expect(mostIn('slack', 60)).toBeLessThanOrEqual(600 / 2 + catalogEntry('slack')!.limits.burst);
    // GitHub EMU: 1,000 users per hour, counted as requests: the burst as well as the rate.
    expect(mostIn('github-emu', 3600)).toBeLessThanOrEqual(1000);
    expect(catalogEntry('github-emu')!.limits.perOperation).toBeUndefined();
    // Zoom: 60 a second for the SCIM operations labelled Medium (Business and above), shared by
    // every app on the account: autoprov keeps a third of it for the others.
    expect(mostIn('zoom', 1)).toBeLessThanOrEqual((60 * 2) / 3);
    // Miro, per 30 s.
    const miro: [string, number][] = [
      ['GET /Users', 200],
      ['POST /Users', 200],
      ['PUT /Users', 100],
      ['PATCH /Users', 100],
      ['DELETE /Users', 20],
      ['GET /Groups', 5],
      ['PATCH /Groups', 5],
    ];
    for (const [operation, limit] of miro) expect(mostOf('miro', operation, 30), operation).toBeLessThanOrEqual(limit);
  });

  it("models AWS IAM Identity Center's documented constraints as quirks", () => {
    expect(catalogEntry('aws-iam-identity-center')!.quirks).toEqual({
      groupPatchMaxMembers: 100,
      pageSize: 50,
      filterOperators: ['eq', 'and'],
      singleValuedOnly: true,
      requiresUserAgent: true,
    });
    // Only one value of each multi-valued attribute can be mapped.
    const multi = catalogEntry('aws-iam-identity-center')!.attributes.filter((a) => a.path.includes('['));
    expect(new Set(multi.map((a) => a.path.split('[')[0])).size).toBe(multi.length);
    expect(catalogEntry('slack')!.quirks).toEqual({ deleteDeactivates: true });
    expect(catalogEntry('miro')!.quirks).toEqual({ groupPatchMaxMembers: 8000 });
    expect(catalogEntry('github-emu')!.quirks).toEqual({ requiresUserAgent: true });
    expect(catalogEntry('atlassian')!.quirks).toEqual({ pageSize: 100, filterOperators: ['eq'] });
  });

  it('says so where a vendor documents no limit or endpoint, rather than inventing one', () => {
    expect(catalogEntry('dropbox')!.endpointTemplate).toBeNull();
    expect(catalogEntry('dropbox')!.quirks).toEqual({});
    expect(catalogEntry('dropbox')!.notes.join(' ')).toMatch(/documents no public SCIM endpoint/);
    expect(catalogEntry('dropbox')!.notes.join(' ')).toMatch(/publishes no SCIM request limit/);
    expect(catalogEntry('atlassian')!.notes.join(' ')).toMatch(/publishes no request limit/);
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { consoleAssets } from './console-assets.js';

const dir = mkdtempSync(join(tmpdir(), 'console-dist-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the built console (S-6)', () => {
  it('serves its assets but never a source map, even one left in the build folder', async () => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(join(dir, 'index.html'), '<!doctype html><title>autoprov</title>');
    writeFileSync(join(dir, 'assets', 'index-abc.js'), 'console.log(1)');
    writeFileSync(join(dir, 'assets', 'index-abc.js.map'), '{"sources":["src/secret.ts"]}');
    const assets = consoleAssets(dir);
    expect((await assets.request('/assets/index-abc.js')).status).toBe(200);
    const map = await assets.request('/assets/index-abc.js.map');
    expect(map.status).toBe(404);
    expect(await map.text()).not.toContain('sources');
  });
});

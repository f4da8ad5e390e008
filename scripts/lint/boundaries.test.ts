// Issue 13, item 4: the boundaries of eslint.config.js fail on what they forbid, and only on that.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const eslint = new ESLint({ cwd: root });

/**
 * The rule ids reported for `code` standing in the repository at `path`. The file is written
 * for the time of the check: the type-aware rules only see files their tsconfig finds on disk.
 */
async function rulesBroken(code: string, path: string): Promise<string[]> {
  const file = join(root, path);
  await writeFile(file, code, { flag: 'wx' });
  try {
    const [result] = await eslint.lintFiles([file]);
    return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
  } finally {
    await rm(file, { force: true });
  }
}

describe('import cycles', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(root, 'apps/console/src/lint-probe-'));
    await writeFile(join(dir, 'a.ts'), "import { b } from './b';\nexport const a = () => b();\n");
    await writeFile(join(dir, 'b.ts'), "import { a } from './a';\nexport const b = (): number => (a ? 1 : 0);\n");
    await writeFile(join(dir, 'c.ts'), 'export const c = 1;\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('fails on two console files importing each other', async () => {
    const [result] = await eslint.lintFiles([join(dir, 'a.ts')]);
    expect(result?.messages.map((m) => m.ruleId)).toContain('import-x/no-cycle');
  }, 60_000);

  it('passes a one-way import', async () => {
    expect(await rulesBroken("import { c } from './c';\nexport const d = c;\n", `${dir.slice(root.length)}/d.ts`)).toEqual([]);
  }, 60_000);
});

describe('console features', () => {
  const reportsPage = 'apps/console/src/features/reports/components/probe.tsx';

  it('fails when one feature imports another', async () => {
    const code = "import { AppsPage } from '../../apps/components/apps-page';\nexport const page = AppsPage;\n";
    expect(await rulesBroken(code, reportsPage)).toContain('import-x/no-restricted-paths');
  }, 60_000);

  it('passes imports of the shared lib/ and of the feature itself', async () => {
    const code = [
      "import { formatTime } from '../../../lib/labels';",
      "import { DeletedConfigurationsPage } from './deleted-configurations';",
      'export const pieces = [formatTime, DeletedConfigurationsPage];',
      '',
    ].join('\n');
    expect(await rulesBroken(code, reportsPage)).toEqual([]);
  }, 60_000);
});

describe('packages and apps', () => {
  const code = "import { createDemoApp } from '@autoprov/demo-app';\nexport const start = createDemoApp;\n";

  it('fails when a package imports an app', async () => {
    const broken = await rulesBroken(code, 'packages/engine/src/probe.ts');
    expect(broken).toContain('no-restricted-imports');
    expect(broken).toContain('import-x/no-restricted-paths');
  }, 60_000);

  it("passes the same import in a package's test", async () => {
    expect(await rulesBroken(code, 'packages/engine/src/probe.test.ts')).toEqual([]);
  }, 60_000);
});

// Compiles one of our Node apps (run from its folder: apps/server, apps/demo-app) to a single
// JavaScript file, dist/main.js, so that processes run plain JavaScript and not a TypeScript
// loader (issue 16: an idle server held ~150 MB through tsx).
// Our workspace packages (@autoprov/*) are TypeScript sources: they are bundled in. Every other
// package stays an import resolved by Node at run time (native better-sqlite3, pino's worker
// threads and oidc-provider must not be bundled), so each one must be reachable from the app's
// own folder; the build checks that and names the dependency to add when it is not.
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { build } from 'esbuild';

const appDir = process.cwd();
const outfile = join(appDir, 'dist', 'main.js');

/** The package a bare import names: `@scope/name` or `name`, without a subpath. */
const packageOf = (specifier) => specifier.split('/').slice(0, specifier.startsWith('@') ? 2 : 1).join('/');

const externals = new Set();
const keepThirdPartyExternal = {
  name: 'third-party-external',
  setup(b) {
    b.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:') || args.path.startsWith('@autoprov/')) return undefined;
      externals.add(packageOf(args.path));
      return { path: args.path, external: true };
    });
  },
};

await build({
  entryPoints: [join(appDir, 'src', 'main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20.19',
  sourcemap: true,
  // Names in stack traces and logs stay readable; the size is not what matters here.
  minify: false,
  logLevel: 'warning',
  plugins: [keepThirdPartyExternal],
});

// Node resolves the kept imports from dist/, that is from the app's node_modules: a package
// that only a workspace package depends on would be missing there at run time.
const requireFromApp = createRequire(outfile);
const missing = [...externals].filter((name) => {
  if (name.startsWith('node:')) return false;
  try {
    requireFromApp.resolve(`${name}/package.json`);
    return false;
  } catch {
    try {
      requireFromApp.resolve(name);
      return false;
    } catch {
      return true;
    }
  }
});
if (missing.length > 0) {
  console.error(`bundle: ${outfile} imports ${missing.join(', ')}, not a dependency of this app; add ${missing.length > 1 ? 'them' : 'it'} to its package.json.`);
  process.exit(1);
}

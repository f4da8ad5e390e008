import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Hono } from 'hono';
import { serveStatic } from '@hono/node-server/serve-static';
import type { AppEnv } from '../types.js';

/** Serves the built console, and its index.html for every client-side route. */
export function consoleAssets(consoleDir: string) {
  const app = new Hono<AppEnv>();
  const indexFile = join(consoleDir, 'index.html');
  if (!existsSync(indexFile)) {
    return app.get('*', (c) =>
      c.text('The console is not built yet. Run `pnpm build` (the README\'s start command does it for you).', 503),
    );
  }
  const indexHtml = readFileSync(indexFile, 'utf8');
  return app
    // Source maps are not published (S-6): a stray one in the build folder is not served.
    .use('*', async (c, next) => (c.req.path.endsWith('.map') ? c.text('Not found', 404) : next()))
    .use(
      '/assets/*',
      serveStatic({
        root: consoleDir,
        onFound: (_path, c) => c.header('Cache-Control', 'public, max-age=31536000, immutable'),
      }),
    )
    .use('*', serveStatic({ root: consoleDir }))
    .get('*', (c) => {
      c.header('Cache-Control', 'no-cache');
      return c.html(indexHtml);
    });
}

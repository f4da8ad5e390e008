import { defineConfig } from 'drizzle-kit';

// The PostgreSQL migrations (issue 16), generated from schema-pg, the SQLite schema's twin.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema-pg/index.ts',
  out: './drizzle-pg',
});

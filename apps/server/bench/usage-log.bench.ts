// Usage log speed with 1,000,000 events (issue 5). Prints a table; numbers for BENCHMARKS.md.
// Run: pnpm --filter @autoprov/server bench
import { fork } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { usageEventKinds } from '@autoprov/contract';
import { benchServer } from './bench-server.js';

const total = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const file = join(mkdtempSync(join(tmpdir(), 'autoprov-usage-bench-')), 'autoprov.sqlite');
const server = await benchServer(file);
const apps = ['gotomeeting', 'workleap', 'custom-scim'];
const dayMs = 24 * 60 * 60 * 1000;
const now = Date.now();

// 1,000,000 events over 29 days, 50,000 users, failures rare (2%) as in real life.
{
  const started = performance.now();
  const insert = server.sqlite.prepare(
    'insert into usage_events (occurred_at, app_key, kind, directory_user_id, user_email, run_id, detail) values (?, ?, ?, ?, ?, ?, ?)',
  );
  const day = server.sqlite.prepare(
    'insert into usage_event_days (day, app_key, kind, count) values (?, ?, ?, 1) on conflict do update set count = count + 1',
  );
  const commonKinds = usageEventKinds.filter((k) => k !== 'failure');
  server.sqlite.transaction(() => {
    for (let i = 0; i < total; i++) {
      const at = now - Math.floor((i / total) * 29 * dayMs);
      const kind = i % 50 === 0 ? 'failure' : commonKinds[i % commonKinds.length]!;
      const app = apps[i % 7 === 0 ? 2 : i % 3 === 0 ? 1 : 0]!;
      const user = `user${String(i % 50_000).padStart(5, '0')}@example.com`;
      insert.run(at, app, kind, `u${i % 50_000}`, user, 'run', kind === 'failure' ? 'The app refused the address' : null);
      day.run(new Date(at).toISOString().slice(0, 10), app, kind);
    }
  })();
  server.sqlite.pragma('optimize');
  console.log(`seeded ${total.toLocaleString('en')} events in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

const filters: [string, string][] = [
  ['no filter', ''],
  ['event = failures', 'kind=failure'],
  ['app = workleap', 'app=workleap'],
  ['user (prefix)', 'user=user01234'],
  ['last 3 days', `from=${new Date(now - 2 * dayMs).toISOString().slice(0, 10)}`],
  ['a 2-day range 20 days ago', `from=${new Date(now - 21 * dayMs).toISOString().slice(0, 10)}&to=${new Date(now - 20 * dayMs).toISOString().slice(0, 10)}`],
  ['event + app', 'kind=failure&app=custom-scim'],
  ['event + app + user', 'kind=user_created&app=gotomeeting&user=user0'],
  ['event + app + range', `kind=failure&app=workleap&from=${new Date(now - 10 * dayMs).toISOString().slice(0, 10)}&to=${new Date(now - 5 * dayMs).toISOString().slice(0, 10)}`],
  ['a user with no events', 'user=nobody'],
];

async function timed(path: string) {
  const t0 = performance.now();
  const res = await server.get(path);
  const body = (await res.json()) as { nextCursor?: string | null; items?: unknown[] };
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(body)}`);
  return { ms: performance.now() - t0, body };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const rows: string[][] = [];
for (const [label, query] of filters) {
  const first: number[] = [];
  const tenth: number[] = [];
  const summary: number[] = [];
  for (let rep = 0; rep < 5; rep++) {
    const page1 = await timed(`/api/reports/usage?${query}&pageSize=50`);
    first.push(page1.ms);
    let cursor = page1.body.nextCursor;
    let last = page1;
    for (let p = 2; p <= 10 && cursor; p++) {
      last = await timed(`/api/reports/usage?${query}&pageSize=50&cursor=${cursor}`);
      cursor = last.body.nextCursor;
    }
    tenth.push(last.ms);
    summary.push((await timed(`/api/reports/usage/summary?${query}`)).ms);
  }
  rows.push([label, `${median(first).toFixed(1)} ms`, `${median(tenth).toFixed(1)} ms`, `${median(summary).toFixed(1)} ms`]);
}
const { cookie } = server;
server.close();

const exported = await new Promise<{ seconds: number; bytes: number; rows: number; peakRss: number; baselineRss: number }>((resolve, reject) => {
  const child = fork(fileURLToPath(new URL('./csv-export.child.ts', import.meta.url)), [file, cookie], { execArgv: ['--import', 'tsx', '--expose-gc'] });
  child.once('message', resolve);
  child.once('error', reject);
});

console.log(`\nUsage log benchmark — Node ${process.version}, ${total.toLocaleString('en')} events, ${new Date().toISOString()}\n`);
console.log('| filters | first page (median of 5) | 10th page | counts + chart |\n| --- | --- | --- | --- |');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
console.log(
  `\nCSV export of all events: ${exported.rows.toLocaleString('en')} rows, ${(exported.bytes / 1024 / 1024).toFixed(0)} MB in ${exported.seconds.toFixed(1)} s, peak RSS of the exporting process ${(exported.peakRss / 1024 / 1024).toFixed(0)} MB (${(exported.baselineRss / 1024 / 1024).toFixed(0)} MB before the export started)`,
);

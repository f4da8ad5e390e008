// Streams the whole usage log as CSV in a fresh process and reports its peak memory.
import { benchServer } from './bench-server.js';

// The session comes from the parent, so this process measures the export, not a sign-in's scrypt.
const [file, cookie] = process.argv.slice(2) as [string, string];
const server = await benchServer(file, cookie);
globalThis.gc?.();
const baseline = process.memoryUsage().rss;
let peak = baseline;
const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 10);
const started = performance.now();
const res = await server.get('/api/reports/usage.csv');
const reader = res.body!.getReader();
let bytes = 0;
let lines = 0;
for (;;) {
  const { done, value } = await reader.read();
  if (done) break;
  bytes += value.byteLength;
  for (const b of value) if (b === 10) lines++;
}
clearInterval(sampler);
peak = Math.max(peak, process.memoryUsage().rss);
process.send!({ seconds: (performance.now() - started) / 1000, bytes, rows: lines - 1, peakRss: peak, baselineRss: baseline });
server.close();

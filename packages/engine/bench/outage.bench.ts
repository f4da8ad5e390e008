// Issue 14, row (g): the target is down (503) for 10 minutes of fake time while suspensions are
// due. Counts the runs, Failure events and requests during the outage, and how long after it
// ends every user is right. The scenario is in shared.ts (field.bench.ts runs it too).
// Run: node --import tsx packages/engine/bench/outage.bench.ts (from the worktree root).
import { describeOutage, outageMet, outageScenario } from './shared.js';

const rows: string[] = [];
for (const n of [1, 20]) {
  const r = await outageScenario(n);
  rows.push(`| (g) target down (503) 10 min, ${n} suspension${n === 1 ? '' : 's'} due, a look every 5 s | ${describeOutage(r)} | ${outageMet(r) ? 'yes' : 'no'} |`);
}
console.log('| measure | result | met |\n| --- | --- | --- |');
for (const row of rows) console.log(row);

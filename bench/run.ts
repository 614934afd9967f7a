import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm run bench`: runs every bench/*.bench.ts. Each exports `run(): Promise<BenchResult[]>` and measures
 * its subject against a baseline in the same run, so figures are ratios, comparable across machines.
 */
export interface BenchResult {
  readonly name: string;
  /** subject ÷ baseline, in the unit named by `unit`. */
  readonly ratio: number;
  readonly subject: string;
  readonly baseline: string;
  readonly goal?: string;
  readonly met?: boolean;
}

async function main(): Promise<void> {
  const only = process.argv[2];
  const files = readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.ts'))
    .filter((f) => !only || f.includes(only))
    .sort();
  let missed = 0;
  for (const file of files) {
    const mod = (await import(join(__dirname, file))) as { run: () => Promise<BenchResult[]> };
    for (const r of await mod.run()) {
      const verdict = r.goal ? ` goal ${r.goal}: ${r.met ? 'met' : 'MISSED'}` : '';
      if (r.goal && !r.met) missed += 1;
      console.log(`${r.name}: ratio ${r.ratio.toFixed(3)} (${r.subject} vs baseline ${r.baseline})${verdict}`);
    }
  }
  if (missed > 0) console.log(`${missed} goal(s) missed`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});

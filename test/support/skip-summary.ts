/**
 * Prints, once, at the end of `npm test`, every suite skipped because a tool it needs is not installed (recorded
 * by describeWithTools through ./skips.ts), grouped by tool with how to install it. jest runs startRecording as
 * its globalSetup and printSummary as its globalTeardown (skip-summary-setup.ts, skip-summary-teardown.ts), which
 * comes after jest's own summary.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { SKIPS_DIR_ENV, type SkipRecord, type SkippedTool } from './skips';

/** The summary for a list of skip records, or '' when nothing was skipped. */
export function skipSummary(records: readonly SkipRecord[], rootDir: string): string {
  if (records.length === 0) return '';
  const byTool = new Map<string, { tool: SkippedTool; suites: Set<string> }>();
  for (const record of records) {
    for (const tool of record.tools) {
      const entry = byTool.get(tool.name) ?? { tool, suites: new Set<string>() };
      entry.suites.add(`${relative(rootDir, record.file)}: ${record.suite}`);
      byTool.set(tool.name, entry);
    }
  }
  const suites = new Set(records.map((r) => `${r.file}\0${r.suite}`));
  const lines = [`Skipped ${suites.size} suite${suites.size === 1 ? '' : 's'}: the real tools they run are not installed here.`];
  for (const [name, { tool, suites: using }] of [...byTool].sort(([a], [b]) => a.localeCompare(b))) {
    lines.push(`  ${name}: ${tool.problem}`);
    lines.push(`    install: ${tool.install}; or set ${tool.env} to its path`);
    for (const suite of [...using].sort()) lines.push(`    skipped: ${suite}`);
  }
  lines.push('CI sets OBSKIT_REQUIRE_TOOLS=1, which fails these suites instead of skipping them.');
  return `${lines.join('\n')}\n`;
}

/** globalSetup: a fresh folder for this run's skip records, named in the environment the test workers inherit. */
export function startRecording(): void {
  process.env[SKIPS_DIR_ENV] = mkdtempSync(join(tmpdir(), 'obskit-skips-'));
}

/** globalTeardown: the one summary of this run's skips, on stderr; removes the records. */
export function printSummary(rootDir: string): void {
  const dir = process.env[SKIPS_DIR_ENV];
  if (!dir) return;
  const records = readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as SkipRecord);
  rmSync(dir, { recursive: true, force: true });
  const summary = skipSummary(records, rootDir);
  if (summary) process.stderr.write(`\n${summary}`);
}

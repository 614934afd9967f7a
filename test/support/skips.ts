/**
 * Suites skipped for a missing tool are recorded, one JSON file per skip, in the folder jest's globalSetup
 * (test/support/skip-summary.ts) names in OBSKIT_SKIPS_DIR; its globalTeardown prints them all once at the end of
 * `npm test`. Without it (a jest run with another config) a skip is reported on stderr where it happens.
 */
import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const SKIPS_DIR_ENV = 'OBSKIT_SKIPS_DIR';

export interface SkippedTool {
  readonly name: string;
  /** `not found`, or why the one found will not do. */
  readonly problem: string;
  /** The environment variable that can point at it. */
  readonly env: string;
  /** How to install it. */
  readonly install: string;
}

export interface SkipRecord {
  readonly suite: string;
  readonly file: string;
  readonly tools: readonly SkippedTool[];
}

export function recordSkip(record: SkipRecord): void {
  const dir = process.env[SKIPS_DIR_ENV];
  if (dir) {
    writeFileSync(join(dir, `${process.pid}-${randomUUID()}.json`), JSON.stringify(record));
    return;
  }
  const how = record.tools.map((t) => `${t.name}: ${t.problem} (set ${t.env}, or ${t.install})`).join('; ');
  process.stderr.write(`SKIPPED "${record.suite}": missing ${how}\n`);
}

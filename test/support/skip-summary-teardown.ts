// jest globalTeardown: see skip-summary.ts.
import { printSummary } from './skip-summary';

export default function teardown(globalConfig: { rootDir: string }): void {
  printSummary(globalConfig.rootDir);
}

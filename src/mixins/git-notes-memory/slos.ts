import type { EventsSli, LatencySli } from '../../spec/types';
import { captureErrorsTotal, hookExecutionDurationMs, memoriesCapturedTotal, type Hook } from './metrics';

/**
 * A hook's runs that finish within its timeout are good (issue 11: "hooks finishing within their timeout").
 * `timeoutMs` must be one of the service's latencyBucketsMs — the same value as the hook's timeout parameter.
 */
export function hookWithinTimeout(hook: Hook, timeoutMs: number): LatencySli {
  return {
    metric: hookExecutionDurationMs.name,
    total: { hook },
    threshold: timeoutMs,
    events: `${hook} hook runs`,
    badEvents: `ran past the ${timeoutMs} ms timeout`,
  };
}

/**
 * Captures that did not fail are good: `memories_captured_total` counts every capture operation and
 * `capture_errors_total` the failed ones among them (docs/systems-extract/git-notes-memory.md, SLOs).
 */
export function capturesWithoutError(): EventsSli {
  return {
    metric: memoriesCapturedTotal.name,
    badMetric: { metric: captureErrorsTotal.name, inTotal: true },
    events: 'captures',
    badEvents: 'failed',
  };
}

import type { LatencySli } from '../../spec/types';
import { hookExecutionDurationMs, type Hook } from './metrics';

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

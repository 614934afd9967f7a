import type { LatencySli } from '../../spec/types';
import { httpRequestDuration } from './metrics';

/**
 * Requests that returned within `threshold` seconds are good; `threshold` must be one of the service's covetpy()
 * buckets. (The availability SLO the ADR implies needs requests + errors as its total — two counters — which an
 * SLI of obskit cannot say yet: docs/systems.md.)
 */
export function covetpyLatency(threshold: number): LatencySli {
  return { metric: httpRequestDuration.name, threshold, events: 'requests', badEvents: `took longer than ${threshold}s` };
}

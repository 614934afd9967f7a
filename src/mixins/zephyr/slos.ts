import type { EventsSli, LatencySli } from '../../spec/types';
import { httpRequestDurationSeconds, httpRequestsTotal } from './metrics';

/** Requests not answered 5xx are good (Zephyr's `status` label). Suggested, not in the document. */
export function zephyrAvailability(): EventsSli {
  return { metric: httpRequestsTotal.name, bad: { status: '5..' }, events: 'requests', badEvents: 'failed (5xx)' };
}

/** Requests at most `threshold` seconds are good; `threshold` must be one of the service's zephyr() httpBuckets. */
export function zephyrLatency(threshold: number): LatencySli {
  return { metric: httpRequestDurationSeconds.name, threshold, events: 'requests', badEvents: `took longer than ${threshold}s` };
}

import type { EventsSli, LatencySli } from '../../spec/types';
import { httpRequestDuration, httpRequestsErrorsTotal, httpRequestsTotal } from './metrics';

/** Requests that returned within `threshold` seconds are good; `threshold` must be one of the service's covetpy() buckets. */
export function covetpyLatency(threshold: number): LatencySli {
  return { metric: httpRequestDuration.name, threshold, events: 'requests', badEvents: `took longer than ${threshold}s` };
}

/**
 * Requests whose handler did not raise are good. CovetPy counts them apart (K3): `http_requests_total` the
 * handled requests, `http_requests_errors_total` the ones that raised, so every request is the sum of both.
 */
export function covetpyAvailability(): EventsSli {
  return {
    metric: httpRequestsTotal.name,
    badMetric: { metric: httpRequestsErrorsTotal.name, inTotal: false },
    events: 'requests',
    badEvents: 'raised in their handler',
  };
}

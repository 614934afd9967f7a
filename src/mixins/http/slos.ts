import type { EventsSli, LatencySli } from '../../spec/types';
import { httpServerRequestDuration } from './metrics';

/** Requests not answered with a 5xx status are good. */
export function httpAvailability(): EventsSli {
  return {
    metric: httpServerRequestDuration.name,
    bad: { http_response_status_code: '5..' },
    events: 'requests',
    badEvents: 'failed (5xx)',
  };
}

/** Requests that took at most `threshold` seconds are good; `threshold` must be one of the service's http() buckets. */
export function httpLatency(threshold: number): LatencySli {
  return { metric: httpServerRequestDuration.name, threshold, events: 'requests', badEvents: `took longer than ${threshold}s` };
}

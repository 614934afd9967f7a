import { param, type ConfigOf } from '../../mixin/params';
import { HTTP_DURATION_BUCKETS } from './metrics';

/** The http() parameters: alert thresholds and `for`s, the low-traffic guard, and the duration buckets. */
export const httpParams = {
  errorRatio: param.ratio(0.05, 'Share of requests answered 5xx over 5m above which ServiceErrorRatioHigh fires (0.05 is 5%).'),
  errorRatioFor: param.duration('10m', { description: 'How long the error ratio must stay high.', max: '1d' }),
  latencyP95Seconds: param.number(1, { description: 'p95 request duration over 5m, in seconds, above which ServiceLatencyHigh fires.', min: 0, exclusive: true }),
  latencyFor: param.duration('10m', { description: 'How long p95 must stay high.', max: '1d' }),
  minRequestRate: param.number(0.1, { description: 'Requests per second (over 5m) below which the latency alert stays silent, and the error-ratio alert too unless it is an outage (at least 3 failures in 5m and at least half the requests failing).', min: 0 }),
  buckets: param.buckets(HTTP_DURATION_BUCKETS, { description: 'Bucket bounds of http_server_request_duration_seconds, in seconds (the service must record these).' }),
};

export type HttpConfig = ConfigOf<typeof httpParams>;

/** p95 must fall inside the buckets, or histogram_quantile could not tell it apart from the edge. */
export function checkHttpConfig(c: HttpConfig): Array<[string, string]> {
  const first = c.buckets[0]!;
  const last = c.buckets[c.buckets.length - 1]!;
  if (c.latencyP95Seconds < first || c.latencyP95Seconds >= last) {
    return [[
      'latencyP95Seconds',
      `must be at least ${first} and below ${last} (the bucket range of http_server_request_duration_seconds), or the p95 could not be told apart from it; got ${c.latencyP95Seconds}`,
    ]];
  }
  return [];
}

import { param, type ConfigOf } from '../../mixin/params';
import { ORDER_VALUE_BUCKETS, PROMETHEUS_CLIENT_BUCKETS } from './metrics';

/**
 * zephyr() parameters: the thresholds and `for`s of the document's five alerts ("Alert Rules Specifications"), the
 * slow-query threshold of the Database Performance dashboard, and the buckets Zephyr records.
 */
export const zephyrParams = {
  errorRatio: param.ratio(0.1, 'Share of requests answered 5xx over 5m above which HighErrorRate fires (document: 10%).'),
  errorRatioFor: param.duration('2m', { description: 'How long the error ratio must stay high (document: 2m).', max: '1d' }),
  downFor: param.duration('1m', { description: 'How long `up` must be 0 before ApplicationDown fires (document: 1m).', max: '1h' }),
  dbFailures: param.number(10, { description: 'Database connection failures in 5m above which DatabaseConnectionIssues fires (document: 10).', min: 0, integer: true }),
  dbFailuresFor: param.duration('5m', { description: 'How long the failures must stay above the threshold (document: 5m).', max: '1d' }),
  p95Seconds: param.number(1, { description: 'p95 request duration, in seconds, above which HighResponseTime fires (document: 1.0).', min: 0, exclusive: true }),
  p95For: param.duration('5m', { description: 'How long p95 must stay high (document: 5m).', max: '1d' }),
  memoryMiB: param.number(512, { description: 'Resident memory per instance, in MiB, above which HighMemoryUsage fires (document: 512).', min: 1, integer: true }),
  memoryFor: param.duration('10m', { description: 'How long memory must stay high (document: 10m).', max: '1d' }),
  slowQuerySeconds: param.number(1, { description: 'Queries slower than this count as slow (ours: PROFILING_SLOW_THRESHOLD); a bucket of dbBuckets.', min: 0, exclusive: true }),
  httpBuckets: param.buckets(PROMETHEUS_CLIENT_BUCKETS, { description: 'Buckets of http_request_duration_seconds and user_creation_duration, in seconds.' }),
  dbBuckets: param.buckets(PROMETHEUS_CLIENT_BUCKETS, { description: 'Buckets of database_query_duration_seconds, in seconds.' }),
  orderValueBuckets: param.buckets(ORDER_VALUE_BUCKETS, { description: 'Buckets of order_value, in currency units.' }),
};

export type ZephyrConfig = ConfigOf<typeof zephyrParams>;

/** The slow-query threshold is a bucket (the panel counts queries above it from the buckets); p95 inside the buckets. */
export function checkZephyrConfig(c: ZephyrConfig): Array<[string, string]> {
  const problems: Array<[string, string]> = [];
  if (!c.dbBuckets.includes(c.slowQuerySeconds)) {
    problems.push(['slowQuerySeconds', `must be one of dbBuckets (${c.dbBuckets.join(', ')}), got ${c.slowQuerySeconds}`]);
  }
  const first = c.httpBuckets[0]!;
  const last = c.httpBuckets[c.httpBuckets.length - 1]!;
  if (c.p95Seconds < first || c.p95Seconds >= last) {
    problems.push(['p95Seconds', `must be at least ${first} and below ${last} (the range of httpBuckets), or the p95 could not be told apart from it; got ${c.p95Seconds}`]);
  }
  return problems;
}

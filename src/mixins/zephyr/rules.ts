import type { RecordingRule } from '../../alerts/model';
import { bucketSeries, div, histogramQuantile, mul, or, rate, re, series, sumBy } from '../../promql/expr';
import { httpRequestDurationSeconds, httpRequestsTotal } from './metrics';
import { ZEPHYR_RECORDED as R } from './recorded';

const SERVICE = 'service_name';
const WINDOW = '5m';

/**
 * Once for every service listing zephyr(): the request rate, the 5xx rate and ratio (the document's Error Rate and
 * HighErrorRate, as a ratio: docs/systems-extract/zephyr.md Z1, Z4) and p95 (Z3), per service over 5m.
 */
export function zephyrRecordingRules(): RecordingRule[] {
  return [
    { record: R.requestRate.name, expr: sumBy([SERVICE], rate(series(httpRequestsTotal), WINDOW)) },
    {
      record: R.errorRate.name,
      expr: or(sumBy([SERVICE], rate(series(httpRequestsTotal, { status: re('5..') }), WINDOW)), mul(0, series(R.requestRate)), { on: [SERVICE] }),
    },
    { record: R.errorRatio.name, expr: div(series(R.errorRate), series(R.requestRate)) },
    { record: R.latencyP95.name, expr: histogramQuantile(0.95, sumBy([SERVICE, 'le'], rate(bucketSeries(httpRequestDurationSeconds), WINDOW))) },
  ];
}

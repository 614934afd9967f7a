import { bucketSeries, countSeries, div, histogramQuantile, mul, or, rate, re, series, sumBy } from '../../promql/expr';
import type { RecordingRule } from '../../alerts/model';
import { httpServerRequestDuration } from './metrics';
import { HTTP_RECORDED, RECORDED_QUANTILES } from './recorded';

const SERVICE = 'service_name';
const WINDOW = '5m';
/** A 5xx status: the request failed on the server's side. */
export const SERVER_ERROR = re('5..');

const requests = () => countSeries(httpServerRequestDuration, {});

/** Request rate, error rate and ratio, latency buckets and quantiles per service over 5m (one set for every service). */
export function httpRecordingRules(): RecordingRule[] {
  const { serviceRequestRate, serviceErrorRate, serviceErrorRatio, serviceLatencyBuckets, serviceLatencyQuantile } = HTTP_RECORDED;
  return [
    { record: serviceRequestRate.name, expr: sumBy([SERVICE], rate(requests(), WINDOW)) },
    {
      record: serviceErrorRate.name,
      // With requests but no 5xx series yet, the rate is 0 rather than missing (so the ratio is 0, not a gap).
      expr: or(
        sumBy([SERVICE], rate(countSeries(httpServerRequestDuration, { http_response_status_code: SERVER_ERROR }), WINDOW)),
        mul(0, series(serviceRequestRate)),
        { on: [SERVICE] },
      ),
    },
    { record: serviceErrorRatio.name, expr: div(series(serviceErrorRate), series(serviceRequestRate)) },
    { record: serviceLatencyBuckets.name, expr: sumBy([SERVICE, 'le'], rate(bucketSeries(httpServerRequestDuration), WINDOW)) },
    ...RECORDED_QUANTILES.map((q) => ({
      record: serviceLatencyQuantile.name,
      expr: histogramQuantile(q, series(serviceLatencyBuckets)),
      labels: { quantile: q },
    })),
  ];
}

import {
  absent,
  and,
  avgOverTime,
  bucketSeries,
  countSeries,
  div,
  duration,
  eq,
  gt,
  histogramQuantile,
  leMatcher,
  maxBy,
  mul,
  ne,
  nre,
  num,
  openMetricsLe,
  or,
  otlpLe,
  rate,
  re,
  RECORDED,
  series,
  sub,
  sum,
  sumBy,
  sumSeries,
  vector,
} from '../../src/promql';
import { prometheus } from '../../src/mixins/stack-health/metrics';
import { HTTP_RECORDED } from '../../src/mixins/http';
import { demoOrders, httpServerRequestDuration } from '../../src/sdk/catalog';

describe('selectors', () => {
  it('names catalog metrics and their series, with typed label matchers', () => {
    expect(series(demoOrders)).toBe('demo_orders_total');
    expect(series(demoOrders, { order_outcome: 'paid', service_name: ne('x') })).toBe('demo_orders_total{order_outcome="paid", service_name!="x"}');
    expect(countSeries(httpServerRequestDuration, { http_response_status_code: re('5..') })).toBe(
      'http_server_request_duration_seconds_count{http_response_status_code=~"5.."}',
    );
    expect(bucketSeries(httpServerRequestDuration, { le: '0.5', http_route: nre('/health.*') })).toBe(
      'http_server_request_duration_seconds_bucket{le="0.5", http_route!~"/health.*"}',
    );
    expect(sumSeries(httpServerRequestDuration)).toBe('http_server_request_duration_seconds_sum');
    expect(series(prometheus.up, { job: eq('demo') })).toBe('up{job="demo"}');
  });

  it('names recorded series with their own labels', () => {
    expect(series(HTTP_RECORDED.serviceErrorRatio, { service_name: 'demo' })).toBe(
      'service_name:http_server_request_errors_per_requests:ratio_rate5m{service_name="demo"}',
    );
    expect(series(RECORDED.sloBurnRate['1h'], { service_name: 'demo', slo: 'availability' })).toBe(
      'slo:burn_rate:ratio_rate1h{service_name="demo", slo="availability"}',
    );
  });

  it('escapes label values', () => {
    expect(series(demoOrders, { order_outcome: 'a"b\\c' })).toBe('demo_orders_total{order_outcome="a\\"b\\\\c"}');
  });

  it('rejects at compile time what the catalog does not allow', () => {
    // @ts-expect-error: `service` is not a label of demo_orders_total (it is service_name)
    series(demoOrders, { service: 'demo' });
    // @ts-expect-error: a histogram is selected through its _bucket, _count or _sum series
    series(httpServerRequestDuration);
    // @ts-expect-error: `le` exists on buckets only
    countSeries(httpServerRequestDuration, { le: '1' });
    // @ts-expect-error: a range needs a duration
    rate(series(demoOrders), '5 minutes');
    // @ts-expect-error: only a selector can take a range
    rate(sum(series(demoOrders)), '5m');
    // @ts-expect-error: recorded series have only their own labels
    series(HTTP_RECORDED.serviceRequestRate, { http_route: '/' });
  });
});

describe('functions, aggregations and operators', () => {
  const requests = countSeries(httpServerRequestDuration, { service_name: 'demo' });

  it('builds readable PromQL, parenthesising binary operands', () => {
    const errors = countSeries(httpServerRequestDuration, { service_name: 'demo', http_response_status_code: re('5..') });
    const ratio = div(sumBy(['service_name'], rate(errors, '5m')), sumBy(['service_name'], rate(requests, '5m')));
    expect(gt(ratio, 0.05)).toBe(
      '(sum by (service_name) (rate(http_server_request_duration_seconds_count{service_name="demo", http_response_status_code=~"5.."}[5m])) / ' +
        'sum by (service_name) (rate(http_server_request_duration_seconds_count{service_name="demo"}[5m]))) > 0.05',
    );
    expect(sub(1, div(series(RECORDED.sloErrorRatioPeriod), num(0.001)))).toBe('1 - (slo:sli_error:ratio_period / 0.001)');
    expect(and(gt(series(prometheus.up), 0), gt(series(prometheus.up), 1), { on: ['job'] })).toBe('(up > 0) and on (job) (up > 1)');
    expect(or(series(prometheus.up), mul(0, series(prometheus.up)), { on: [] })).toBe('up or on () (0 * up)');
  });

  it('covers quantiles, over-time functions, absent and vector', () => {
    expect(histogramQuantile(0.95, sumBy(['le'], rate(bucketSeries(httpServerRequestDuration), '5m')))).toBe(
      'histogram_quantile(0.95, sum by (le) (rate(http_server_request_duration_seconds_bucket[5m])))',
    );
    expect(avgOverTime(series(RECORDED.sloErrorRate['5m']), duration('30d'))).toBe('avg_over_time(slo:sli_errors:rate5m[30d])');
    expect(maxBy(['instance'], series(prometheus.up))).toBe('max by (instance) (up)');
    expect(absent(series(prometheus.up, { job: 'x' }))).toBe('absent(up{job="x"})');
    expect(vector(1)).toBe('vector(1)');
  });

  it('writes numbers decimal-safely', () => {
    expect(gt(series(prometheus.up), 0.1 + 0.2)).toBe('up > 0.3');
    expect(num(14.4 * 0.001)).toBe('0.0144');
    expect(num(1024 ** 3)).toBe('1073741824');
  });

  it('checks durations taken from the spec', () => {
    expect(duration('1h30m')).toBe('1h30m');
    expect(() => duration('5 minutes')).toThrow(/not a PromQL duration/);
  });
});

describe('le of histogram buckets', () => {
  it('matches both the scraped (OpenMetrics) and the OTLP spelling of a bound', () => {
    expect([openMetricsLe(0.5), openMetricsLe(1), openMetricsLe(10), openMetricsLe(0.005), openMetricsLe(1e-5), openMetricsLe(1e6)]).toEqual([
      '0.5',
      '1.0',
      '10.0',
      '0.005',
      '1e-05',
      '1e+06',
    ]);
    expect([otlpLe(0.5), otlpLe(1), otlpLe(1e-5), otlpLe(Infinity)]).toEqual(['0.5', '1', '0.00001', '+Inf']);
    expect(leMatcher(0.5)).toEqual({ op: '=', value: '0.5' });
    expect(leMatcher(1)).toEqual({ op: '=~', value: '1\\.0|1' });
    expect(bucketSeries(httpServerRequestDuration, { le: leMatcher(1) })).toBe('http_server_request_duration_seconds_bucket{le=~"1\\\\.0|1"}');
  });
});

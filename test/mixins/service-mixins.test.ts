import { buildRuleFiles, mixinRules } from '../../src/alerts';
import { isAlertRule, type AlertRule, type RecordingRule } from '../../src/alerts/model';
import { HTTP_RECORDED as RECORDED } from '../../src/mixins/http';
import { httpRecordingRules } from '../../src/mixins/http/rules';
import { sloSpec } from '../alerts/fixtures';
import { demoSpec as spec } from '../fixtures/demo-spec';
import { fullSpec } from '../fixtures/full-spec';
import { serviceData } from '../support/service-data';

const groups = mixinRules(spec, 'http');
/** Per-service data a shared alert reads (a threshold, or the service expected), by alert name. */
const DATA: Record<string, string> = {
  ServiceErrorRatioHigh: RECORDED.errorRatioThreshold.name,
  ServiceLatencyHigh: RECORDED.latencyThreshold.name,
  ServiceDown: 'service_name:up:expected',
};
/**
 * A service's alerts from every rule file: each mixin's group for the service, and the shared alerts whose class
 * its data names (`…{service_name, class}`).
 */
const alerts = (service: string, s = spec): AlertRule[] => {
  const all = buildRuleFiles(s).flatMap((f) => f.groups);
  const rules = all.flatMap((g) => g.rules);
  const classOf = (alertName: string) => serviceData(rules, DATA[alertName]!).find((d) => d.service === service)?.class;
  const shared = rules
    .filter(isAlertRule)
    .filter((a) => DATA[a.alert] !== undefined && classOf(a.alert) !== undefined && a.expr.includes(`${DATA[a.alert]}{class="${classOf(a.alert)}"}`));
  const own = all
    .filter((g) => g.name.endsWith(`.${service}`) || g.name === 'obskit.stack-health.services')
    .flatMap((g) => g.rules.filter(isAlertRule))
    .filter((a) => a.alert !== 'ServiceDown' || a.labels?.service_name === service);
  const order = ['ServiceDown', 'ServiceErrorRatioHigh', 'ServiceLatencyHigh'];
  return [...shared, ...own].sort((a, b) => (order.indexOf(a.alert) + 1 || 99) - (order.indexOf(b.alert) + 1 || 99));
};
const alert = (service: string, name: string, s = spec) => alerts(service, s).find((a) => a.alert === name)!;
/** A service's recorded value of some per-service data. */
const dataOf = (service: string, record: string, s = spec) =>
  serviceData(buildRuleFiles(s).flatMap((f) => f.groups).flatMap((g) => g.rules), record).find((d) => d.service === service);

describe('RED recording rules', () => {
  const rules = httpRecordingRules();
  const record = (name: string): RecordingRule[] => rules.filter((r) => r.record === name);

  it('record per-service request rate, error rate and ratio, latency buckets and quantiles over 5m', () => {
    expect(groups[0]).toMatchObject({ name: 'obskit.http.recording' });
    expect(rules.map((r) => r.record)).toEqual([
      'service_name:http_server_requests:rate5m',
      'service_name:http_server_request_errors:rate5m',
      'service_name:http_server_request_errors_per_requests:ratio_rate5m',
      'service_name_le:http_server_request_duration_seconds_bucket:rate5m',
      'service_name_quantile:http_server_request_duration_seconds:histogram_quantile_rate5m',
      'service_name_quantile:http_server_request_duration_seconds:histogram_quantile_rate5m',
      'service_name_quantile:http_server_request_duration_seconds:histogram_quantile_rate5m',
    ]);
    expect(record(RECORDED.serviceRequestRate.name)[0]!.expr).toBe(
      'sum by (service_name) (rate(http_server_request_duration_seconds_count[5m]))',
    );
    expect(record(RECORDED.serviceErrorRatio.name)[0]!.expr).toBe(
      'service_name:http_server_request_errors:rate5m / service_name:http_server_requests:rate5m',
    );
    expect(record(RECORDED.serviceLatencyQuantile.name).map((r) => [r.labels?.quantile, r.expr])).toEqual([
      ['0.5', 'histogram_quantile(0.5, service_name_le:http_server_request_duration_seconds_bucket:rate5m)'],
      ['0.95', 'histogram_quantile(0.95, service_name_le:http_server_request_duration_seconds_bucket:rate5m)'],
      ['0.99', 'histogram_quantile(0.99, service_name_le:http_server_request_duration_seconds_bucket:rate5m)'],
    ]);
  });
});

describe('service alerts follow the service’s mixins', () => {
  it('exist per observed service, with the mixins’ default thresholds and for durations', () => {
    expect(alerts('demo').map((a) => [a.alert, a.severity, a.for])).toEqual([
      ['ServiceDown', 'critical', '3m'],
      ['ServiceErrorRatioHigh', 'warning', '10m'],
      ['ServiceLatencyHigh', 'warning', '10m'],
      ['ServiceMemoryHigh', 'warning', '15m'],
      ['ServiceEventLoopLagHigh', 'warning', '10m'],
    ]);
    // Written once for every service of a class: each service's threshold (or its being expected) is data.
    expect(alert('demo', 'ServiceDown').expr).toBe(
      '((max by (service_name) (up) == 0) and on (service_name) service_name:up:expected{class="3m"}) or ' +
        '(max by (service_name) (service_name:up:expected{class="3m"}) unless on (service_name) up)',
    );
    expect(dataOf('demo', 'service_name:up:expected')).toEqual({ service: 'demo', class: '3m', value: 1 });
    // Enough traffic, or an outage plain in the 5m window: 3 failures (2.5 absorbs extrapolation) and most requests failing.
    expect(alert('demo', 'ServiceErrorRatioHigh').expr).toBe(
      '(service_name:http_server_request_errors_per_requests:ratio_rate5m > on (service_name) group_left service_name:http_error_ratio:threshold{class="10m"}) and ' +
        '((service_name:http_server_requests:rate5m >= 0.1) or ' +
        '(((service_name:http_server_request_errors:rate5m * 300) >= 2.5) and ' +
        '(service_name:http_server_request_errors_per_requests:ratio_rate5m >= 0.5)))',
    );
    expect(dataOf('demo', RECORDED.errorRatioThreshold.name)).toEqual({ service: 'demo', class: '10m', value: 0.05 });
    expect(alert('demo', 'ServiceLatencyHigh').expr).toContain('{quantile="0.95"} > on (service_name) group_left service_name:http_latency_p95:threshold{class="10m"})');
    expect(dataOf('demo', RECORDED.latencyThreshold.name)?.value).toBe(1);
    expect(alert('demo', 'ServiceMemoryHigh').expr).toBe('max by (service_name, instance) (process_resident_memory_bytes{service_name="demo"}) > 1073741824');
    expect(alert('demo', 'ServiceEventLoopLagHigh').expr).toBe('max by (service_name, instance) (nodejs_eventloop_lag_p99_seconds{service_name="demo"}) > 0.5');
  });

  it('watch a push-only service by the freshness of what it pushes, not by up', () => {
    const down = alert('ci-jobs', 'ServiceDown', sloSpec);
    expect(down.expr).toBe('absent_over_time(target_info{job=~"(?:.+/)?ci-jobs"}[10m])');
    expect([down.for, down.labels]).toEqual(['3m', { service_name: 'ci-jobs' }]);
    // Every example keeps the other services' ServiceDown silent, whichever way they are watched.
    const other = alert('search', 'ServiceDown', sloSpec);
    expect(other.examples.fires.series.map((s) => s.series)).toContainEqual(expect.stringMatching(/^target_info\{job="ci-jobs"/));
  });

  it('a Python service gets no Node.js runtime alert, and a Node service no Python one', () => {
    expect(alerts('payments', fullSpec).map((a) => a.alert)).toEqual(['ServiceDown', 'ServiceErrorRatioHigh', 'ServiceLatencyHigh', 'ServiceMemoryHigh']);
    expect(alerts('checkout', fullSpec).map((a) => a.alert)).toContain('ServiceEventLoopLagHigh');
    expect(mixinRules(fullSpec, 'python').map((g) => g.name)).toEqual(['obskit.python.payments']);
  });

  it('take each service’s own mixin config', () => {
    expect(dataOf('checkout', RECORDED.errorRatioThreshold.name, sloSpec)?.value).toBe(0.02);
    expect(alert('checkout', 'ServiceErrorRatioHigh', sloSpec).expr).toContain(') and ((service_name:http_server_requests:rate5m >= 1) or');
    expect(alert('checkout', 'ServiceMemoryHigh', sloSpec).summary).toContain('above 512Mi');
    expect(alert('search', 'ServiceMemoryHigh', sloSpec).summary).toContain('above 1Gi');
  });

  it('expect the annotation a firing alert really has, $value included', () => {
    const latency = alert('demo', 'ServiceLatencyHigh');
    // Every request between 1s and 2.5s: p95 = 1 + 1.5 × 0.95 = 2.425s.
    expect(latency.examples.fires.alerts[0]).toMatchObject({ labels: { service_name: 'demo', quantile: '0.95' }, value: 2.425 });
    // The threshold is read back from the recorded data in the text; the example expects it written out.
    expect(latency.summary).toContain('query');
    expect(latency.examples.fires.alerts[0]!.summary).toBe('demo is slow: p95 latency above 1s.');
    expect(latency.examples.fires.name).toBe('every request between 1s and 2.5s');
  });
});

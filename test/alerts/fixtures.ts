import { http, httpAvailability, httpLatency, nodejs, pythonRuntime } from '../../src/mixins';
import { defineStack, resolveSpec, type StackSpec } from '../../src/spec';
import { fullSpecInput } from '../fixtures/full-spec';

/**
 * fullSpec plus everything the alert generators branch on: SLOs of both types (a latency threshold that is an
 * integer bucket, so `le` has two spellings; periods other than 30d; the low-traffic guard off), per-service mixin
 * config and routes, Node and Python services, and overrides of every kind.
 */
export const sloSpecInput = defineStack({
  ...fullSpecInput,
  services: [
    {
      name: 'checkout',
      port: 8080,
      mixins: [http({ errorRatio: 0.02, latencyP95Seconds: 0.3, minRequestRate: 1 }), nodejs({ memoryBytes: 512 * 1024 ** 2 })],
      slos: [
        { name: 'availability', sli: httpAvailability(), objective: 99.95, period: '30d' },
        { name: 'latency', sli: httpLatency(1), objective: 99, period: '28d' },
      ],
      routes: [{ severity: 'critical', receiver: 'checkout-pager' }],
    },
    {
      name: 'payments',
      port: 9464,
      metricsPath: '/internal/metrics',
      host: 'payments.internal',
      scrapeInterval: '5s',
      mixins: [http({ minRequestRate: 1 }), pythonRuntime()],
      slos: [{ name: 'availability', sli: httpAvailability(), objective: 99.9, period: '7d', minRequests: 0 }],
    },
    { name: 'search', port: 8081, scrapeInterval: '1m', mixins: [http({ minRequestRate: 1 }), nodejs()], healthChecks: [{ path: '/health/ready' }, { path: '/health/detailed', port: 8082 }] },
    { name: 'ci-jobs', ingest: 'otlp', staleAfter: '10m' },
  ],
  alerting: {
    ...fullSpecInput.alerting,
    receivers: [
      ...(fullSpecInput.alerting?.receivers ?? []),
      { name: 'checkout-pager', type: 'pagerduty', routingKey: { name: 'checkout-pagerduty', key: 'routing-key' } },
    ],
    overrides: [
      { alert: 'ServiceErrorRatioHigh', service: 'payments', threshold: 0.1, for: '5m', severity: 'critical', labels: { team: 'payments' } },
      { alert: 'ServiceErrorRatioHigh', labels: { team: 'everyone' } },
      { alert: 'TargetDown', for: '90s' },
      { alert: 'PrometheusNotificationsFailing', threshold: 0.6 },
      { alert: 'ServiceEventLoopLagHigh', service: 'search', disabled: true },
      { alert: 'ErrorBudgetBurnSlow', service: 'checkout', slo: 'availability', disabled: true },
      { alert: 'ErrorBudgetBurnFast', service: 'checkout', slo: 'latency', for: '5m', labels: { team: 'checkout' } },
      { alert: 'ServiceLatencyHigh', service: 'search', threshold: 8 },
      { alert: 'Watchdog', for: '2m' },
    ],
  },
});

export const sloSpec: StackSpec = resolveSpec(sloSpecInput);
export const sloSpecSecretFiles = ['pagerduty/routing-key', 'slack/webhook-url', 'smtp/password', 'healthchecks/ping-url', 'checkout-pagerduty/routing-key'];

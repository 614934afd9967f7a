import { defineMetric } from './define';

/**
 * Your domain metrics: define them here with the same helper as the built-in ones and they join `catalog`,
 * so dashboards and rules can reference them and services emit them through `telemetry.counter(...)` etc.
 * The two below belong to the demo service (src/sdk/demo).
 */

export const demoOrders = defineMetric({
  name: 'demo_orders_total',
  help: 'Orders the demo service handled, by outcome.',
  type: 'counter',
  unit: '',
  labelNames: ['order_outcome'],
});

export const demoPaymentDuration = defineMetric({
  name: 'demo_payment_duration_seconds',
  help: 'Time the demo service spent in its (simulated) payment provider.',
  type: 'histogram',
  unit: 'seconds',
  labelNames: ['payment_provider'],
  buckets: [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
});

export const domainMetrics = [demoOrders, demoPaymentDuration] as const;

import { defineRecorded } from './expr';

/**
 * Prometheus's `ALERTS` series (one per pending or firing alert, with the alert's labels plus `alertname` and
 * `alertstate`). Not a recording rule, but selected the same way; the labels listed are those obskit's alerts carry.
 */
export const ALERTS = defineRecorded({
  name: 'ALERTS',
  labelNames: ['alertname', 'alertstate', 'severity', 'service_name', 'slo', 'job', 'instance'],
  help: 'Pending and firing alerts (written by Prometheus for every alerting rule).',
});

/** Series Prometheus writes itself, with any labels: `ALERTS` and `ALERTS_FOR_STATE` carry each alert's labels. */
export const BUILTIN_SERIES = [ALERTS.name, 'ALERTS_FOR_STATE'] as const;

/**
 * `up`, which Prometheus writes for every scrape target (1 when the last scrape succeeded): every observed service
 * has it, whatever it emits, with the target labels and the `service_name` obskit's scrape jobs set.
 */
export const UP = defineRecorded({
  name: 'up',
  labelNames: ['job', 'instance', 'service_name', 'namespace', 'pod'],
  help: 'Whether the last scrape of the target succeeded (written by Prometheus for every target).',
});

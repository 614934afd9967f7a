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

/**
 * The other series Prometheus writes for every scrape target beside `up` (Prometheus docs, "Jobs and instances ›
 * Automatically generated labels and time series"): what a scrape cost, and how many series it brought — the
 * figures a cardinality budget is watched with.
 */
const scrapeSeries = <const N extends string>(name: N, help: string) =>
  defineRecorded({ name, labelNames: ['job', 'instance', 'service_name', 'namespace', 'pod'], help });

export const SCRAPE_SERIES = {
  duration: scrapeSeries('scrape_duration_seconds', 'How long the last scrape of the target took, in seconds.'),
  samplesScraped: scrapeSeries('scrape_samples_scraped', 'Samples the target exposed in the last scrape.'),
  samplesPostRelabeling: scrapeSeries('scrape_samples_post_metric_relabeling', 'Samples left after metric relabeling in the last scrape.'),
  seriesAdded: scrapeSeries('scrape_series_added', 'Series the last scrape of the target created (new in the head block).'),
} as const;

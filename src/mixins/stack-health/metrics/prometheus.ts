import { defineMetric } from '../../../sdk/catalog/define';

/**
 * Prometheus's own series (pinned v3.15): the per-target series every scrape writes, and what Prometheus exposes
 * about itself on /metrics (scraped by the `prometheus` job).
 *
 * Names and labels were read from a running Prometheus 3.15.0 (`/metrics` and `/api/v1/label/__name__/values`)
 * and from its source (rules/semconv/registry.yaml, notifier/metric.go). In 3.15 `prometheus_notifications_sent_total`
 * counts only alerts Alertmanager accepted; failed sends count in `prometheus_notifications_errors_total` alone,
 * so the failure ratio is errors / (sent + errors).
 */

// Written by every scrape, for every target.
export const up = defineMetric({
  name: 'up',
  help: '1 if the last scrape of the target succeeded, 0 if it failed.',
  type: 'gauge',
  unit: '',
});
/**
 * Written by Prometheus's OTLP receiver for every pushed resource that has attributes besides service.name,
 * service.namespace and service.instance.id (the collector always adds deployment.environment.name), at every push;
 * `job` is `service.namespace/service.name` (or `service.name`), `instance` is `service.instance.id`. Read from
 * the 3.15 source (storage/remote/otlptranslator/prometheusremotewrite/helper.go, addResourceTargetInfo).
 */
export const targetInfo = defineMetric({
  name: 'target_info',
  help: 'Target metadata: one series per pushed OTLP resource.',
  type: 'gauge',
  unit: '',
});
export const scrapeDurationSeconds = defineMetric({
  name: 'scrape_duration_seconds',
  help: 'Duration of the last scrape of the target.',
  type: 'gauge',
  unit: 'seconds',
});
export const scrapeSamplesScraped = defineMetric({
  name: 'scrape_samples_scraped',
  help: 'Samples the target exposed in the last scrape.',
  type: 'gauge',
  unit: '',
});
export const scrapeSamplesPostMetricRelabeling = defineMetric({
  name: 'scrape_samples_post_metric_relabeling',
  help: 'Samples left after metric relabeling in the last scrape.',
  type: 'gauge',
  unit: '',
});
export const scrapeSeriesAdded = defineMetric({
  name: 'scrape_series_added',
  help: 'Series the last scrape of the target created.',
  type: 'gauge',
  unit: '',
});

// Rule evaluation (label rule_group is "<file>;<group>").
export const ruleEvaluationFailures = defineMetric({
  name: 'prometheus_rule_evaluation_failures_total',
  help: 'The total number of rule evaluation failures.',
  type: 'counter',
  unit: '',
  labelNames: ['rule_group'],
});
export const ruleEvaluations = defineMetric({
  name: 'prometheus_rule_evaluations_total',
  help: 'The total number of rule evaluations.',
  type: 'counter',
  unit: '',
  labelNames: ['rule_group'],
});
export const ruleGroupIterationsMissed = defineMetric({
  name: 'prometheus_rule_group_iterations_missed_total',
  help: 'The total number of rule group evaluations missed due to slow rule group evaluation.',
  type: 'counter',
  unit: '',
  labelNames: ['rule_group'],
});
export const ruleGroupLastDuration = defineMetric({
  name: 'prometheus_rule_group_last_duration_seconds',
  help: 'The duration of the last rule group evaluation.',
  type: 'gauge',
  unit: 'seconds',
  labelNames: ['rule_group'],
});
export const ruleGroupInterval = defineMetric({
  name: 'prometheus_rule_group_interval_seconds',
  help: 'The interval of a rule group.',
  type: 'gauge',
  unit: 'seconds',
  labelNames: ['rule_group'],
});

// Sending alerts to Alertmanager (label alertmanager is the URL alerts are posted to).
export const notificationsErrors = defineMetric({
  name: 'prometheus_notifications_errors_total',
  help: 'Total number of sent alerts affected by errors.',
  type: 'counter',
  unit: '',
  labelNames: ['alertmanager'],
});
export const notificationsSent = defineMetric({
  name: 'prometheus_notifications_sent_total',
  help: 'Total number of alerts sent (in 3.15: accepted by the Alertmanager).',
  type: 'counter',
  unit: '',
  labelNames: ['alertmanager'],
});
export const notificationsDropped = defineMetric({
  name: 'prometheus_notifications_dropped_total',
  help: 'Total number of alerts dropped due to errors when sending to Alertmanager.',
  type: 'counter',
  unit: '',
  labelNames: ['alertmanager'],
});
export const notificationsQueueLength = defineMetric({
  name: 'prometheus_notifications_queue_length',
  help: 'The number of alert notifications in the queue.',
  type: 'gauge',
  unit: '',
});
export const notificationsQueueCapacity = defineMetric({
  name: 'prometheus_notifications_queue_capacity',
  help: 'The capacity of the alert notifications queue.',
  type: 'gauge',
  unit: '',
});
export const notificationsAlertmanagersDiscovered = defineMetric({
  name: 'prometheus_notifications_alertmanagers_discovered',
  help: 'The number of alertmanagers discovered and active.',
  type: 'gauge',
  unit: '',
});

// Configuration and storage.
export const configLastReloadSuccessful = defineMetric({
  name: 'prometheus_config_last_reload_successful',
  help: 'Whether the last configuration reload attempt was successful.',
  type: 'gauge',
  unit: '',
});
export const tsdbHeadSeries = defineMetric({
  name: 'prometheus_tsdb_head_series',
  help: 'Total number of series in the head block.',
  type: 'gauge',
  unit: '',
});
export const tsdbHeadSamplesAppended = defineMetric({
  name: 'prometheus_tsdb_head_samples_appended_total',
  help: 'Total number of appended samples.',
  type: 'counter',
  unit: '',
  labelNames: ['type'],
});
export const targetScrapesExceededSampleLimit = defineMetric({
  name: 'prometheus_target_scrapes_exceeded_sample_limit_total',
  help: 'Total number of scrapes that hit the sample limit and were rejected.',
  type: 'counter',
  unit: '',
});

export const prometheusMetrics = [
  up,
  targetInfo,
  scrapeDurationSeconds,
  scrapeSamplesScraped,
  scrapeSamplesPostMetricRelabeling,
  scrapeSeriesAdded,
  ruleEvaluationFailures,
  ruleEvaluations,
  ruleGroupIterationsMissed,
  ruleGroupLastDuration,
  ruleGroupInterval,
  notificationsErrors,
  notificationsSent,
  notificationsDropped,
  notificationsQueueLength,
  notificationsQueueCapacity,
  notificationsAlertmanagersDiscovered,
  configLastReloadSuccessful,
  tsdbHeadSeries,
  tsdbHeadSamplesAppended,
  targetScrapesExceededSampleLimit,
] as const;

import { defineMetric } from '../../../sdk/catalog/define';

/**
 * Alertmanager's own metrics (pinned v0.34.2), scraped by the `alertmanager` job. Names and labels are from the
 * v0.34.2 source (notify/metrics.go, config/coordinator.go, api/metrics/metrics.go). `receiver_name` is present
 * only when the `receiver-name-in-metrics` feature flag is on; `alertmanager_notifications_total` counts attempts,
 * failed or not, so the failure ratio is failed / total.
 */

export const notifications = defineMetric({
  name: 'alertmanager_notifications_total',
  help: 'The total number of attempted notifications.',
  type: 'counter',
  unit: '',
  labelNames: ['integration', 'receiver_name'],
});
export const notificationsFailed = defineMetric({
  name: 'alertmanager_notifications_failed_total',
  help: 'The total number of failed notifications.',
  type: 'counter',
  unit: '',
  labelNames: ['integration', 'receiver_name', 'reason'],
});
export const notificationRequests = defineMetric({
  name: 'alertmanager_notification_requests_total',
  help: 'The total number of attempted notification requests.',
  type: 'counter',
  unit: '',
  labelNames: ['integration', 'receiver_name'],
});
export const notificationRequestsFailed = defineMetric({
  name: 'alertmanager_notification_requests_failed_total',
  help: 'The total number of failed notification requests.',
  type: 'counter',
  unit: '',
  labelNames: ['integration', 'receiver_name'],
});
export const notificationsSuppressed = defineMetric({
  name: 'alertmanager_notifications_suppressed_total',
  help: 'The total number of notifications suppressed for being silenced, inhibited, outside of active time intervals or within muted time intervals.',
  type: 'counter',
  unit: '',
  labelNames: ['reason'],
});
export const notificationLatency = defineMetric({
  name: 'alertmanager_notification_latency_seconds',
  help: 'The latency of notifications in seconds.',
  type: 'histogram',
  unit: 'seconds',
  labelNames: ['integration', 'receiver_name'],
  buckets: [1, 5, 10, 15, 20],
});
export const alertsReceived = defineMetric({
  name: 'alertmanager_alerts_received_total',
  help: 'The total number of received alerts.',
  type: 'counter',
  unit: '',
  labelNames: ['status', 'version'],
});
export const alertsInvalid = defineMetric({
  name: 'alertmanager_alerts_invalid_total',
  help: 'The total number of received alerts that were invalid.',
  type: 'counter',
  unit: '',
  labelNames: ['version'],
});
export const configLastReloadSuccessful = defineMetric({
  name: 'alertmanager_config_last_reload_successful',
  help: 'Whether the last configuration reload attempt was successful.',
  type: 'gauge',
  unit: '',
});

export const alertmanagerMetrics = [
  notifications,
  notificationsFailed,
  notificationRequests,
  notificationRequestsFailed,
  notificationsSuppressed,
  notificationLatency,
  alertsReceived,
  alertsInvalid,
  configLastReloadSuccessful,
] as const;

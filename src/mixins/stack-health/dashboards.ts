/**
 * Stack health: is the observability stack itself working? Prometheus (targets, ingestion, rules, head series,
 * alert delivery), the OpenTelemetry Collector (accepted, refused, sent and failed telemetry per signal, exporter
 * queues), Alertmanager (notifications and failures) and Loki and Tempo ingestion, all from the stack catalogs
 * (./metrics), whose names were read from the pinned versions.
 */
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as units from '@grafana/grafana-foundation-sdk/units';
import { STACK_SCRAPE_JOBS } from '../../config/prometheus';
import { ALERTS } from '../../promql/builtin';
import { div, increase, max, maxBy, minBy, rate, re, series, sub, sum, sumBy, type Selector } from '../../promql/expr';
import { alertmanager, collector, loki, prometheus, tempo } from './metrics';
import { PROMETHEUS } from '../../dashboards/datasources';
import { place, type DashboardDefinition } from '../../dashboards/layout';
import { binaryMapping, prom, stateTimelinePanel, statPanel, thresholds, timeseriesPanel } from '../../dashboards/panels';
import { datasourceVariable, RATE_INTERVAL } from '../../dashboards/variables';

export const STACK_HEALTH_UID = 'obskit-stack-health';

const perSecond = (s: Selector) => sum(rate(s, RATE_INTERVAL));
const upDown = () => [binaryMapping({ text: 'down', color: 'red' }, { text: 'up', color: 'green' })];
const okFailed = () => [binaryMapping({ text: 'failed', color: 'red' }, { text: 'ok', color: 'green' })];

// ---------------------------------------------------------------------------------------------- Prometheus

export const targetsDown = () =>
  statPanel({
    title: 'Targets down',
    description: 'Scrape targets whose last scrape failed.',
    unit: units.Short,
    thresholds: thresholds('green', [1, 'red']),
    sparkline: false,
  }).withTarget(prom(sum(sub(1, series(prometheus.up))), 'down'));

export const targets = () =>
  stateTimelinePanel({
    title: 'Scrape targets',
    description: 'Whether each target’s scrapes succeed (up), by job and instance.',
    unit: units.NoUnit,
    thresholds: thresholds('red', [1, 'green']),
    mappings: upDown(),
  }).withTarget(prom(maxBy(['job', 'instance'], series(prometheus.up)), '{{job}} {{instance}}'));

export const configReloads = () =>
  stateTimelinePanel({
    title: 'Config reloads',
    description: 'Whether the last configuration reload of Prometheus and Alertmanager succeeded.',
    unit: units.NoUnit,
    thresholds: thresholds('red', [1, 'green']),
    mappings: okFailed(),
  })
    .withTarget(prom(minBy(['job'], series(prometheus.configLastReloadSuccessful)), 'Prometheus'))
    .withTarget(prom(minBy(['job'], series(alertmanager.configLastReloadSuccessful)), 'Alertmanager'));

export const ingestionRate = () =>
  timeseriesPanel({ title: 'Samples ingested', description: 'Samples appended to the TSDB head per second.', unit: units.CountsPerSecond, min: 0 }).withTarget(
    prom(perSecond(series(prometheus.tsdbHeadSamplesAppended)), 'samples/s'),
  );

export const headSeries = () =>
  timeseriesPanel({ title: 'Head series', description: 'Series in the TSDB head block (active series): memory grows with it.', unit: units.Short, min: 0 }).withTarget(
    prom(max(series(prometheus.tsdbHeadSeries)), 'series'),
  );

export const ruleFailures = () =>
  timeseriesPanel({
    title: 'Rule evaluation failures',
    description: 'Failed and missed rule group evaluations per interval, by group: their alerts and records are not computed.',
    unit: units.Short,
    thresholds: thresholds('green', [1, 'red']),
    showThresholds: true,
    min: 0,
  })
    .withTarget(prom(sumBy(['rule_group'], increase(series(prometheus.ruleEvaluationFailures), RATE_INTERVAL)), 'failed {{rule_group}}'))
    .withTarget(prom(sumBy(['rule_group'], increase(series(prometheus.ruleGroupIterationsMissed), RATE_INTERVAL)), 'missed {{rule_group}}'));

export const alertDelivery = () =>
  timeseriesPanel({
    title: 'Alerts sent to Alertmanager',
    description: 'Alerts Prometheus delivered, failed to deliver and dropped, per second.',
    unit: units.CountsPerSecond,
    min: 0,
  })
    .withTarget(prom(perSecond(series(prometheus.notificationsSent)), 'sent'))
    .withTarget(prom(perSecond(series(prometheus.notificationsErrors)), 'errors'))
    .withTarget(prom(perSecond(series(prometheus.notificationsDropped)), 'dropped'));

// ---------------------------------------------------------------------------------------------- collector

type Signal = (typeof collector.COLLECTOR_SIGNALS)[keyof typeof collector.COLLECTOR_SIGNALS];

/** One signal through the collector: accepted and refused by receivers, sent and failed by exporters. */
export const collectorSignal = (signal: Signal) =>
  timeseriesPanel({
    title: `Collector: ${signal.noun}`,
    description: `${signal.noun[0]?.toUpperCase()}${signal.noun.slice(1)} per second: accepted and refused by receivers, sent and failed (dropped after retries) by exporters.`,
    unit: units.CountsPerSecond,
    min: 0,
  })
    .withTarget(prom(perSecond(series(signal.accepted)), 'accepted'))
    .withTarget(prom(perSecond(series(signal.refused)), 'refused'))
    .withTarget(prom(perSecond(series(signal.sent)), 'sent'))
    .withTarget(prom(perSecond(series(signal.sendFailed)), 'send failed'));

export const exporterQueue = () =>
  timeseriesPanel({
    title: 'Collector exporter queues',
    description: 'How full each exporter’s sending queue is: when it is full, new data is dropped.',
    unit: units.PercentUnit,
    thresholds: thresholds('green', [0.5, 'orange'], [0.8, 'red']),
    showThresholds: true,
    min: 0,
    max: 1,
  }).withTarget(
    prom(
      maxBy(['exporter', 'data_type'], div(series(collector.exporterQueueSize), series(collector.exporterQueueCapacity))),
      '{{exporter}} {{data_type}}',
    ),
  );

export const collectorResources = () =>
  timeseriesPanel({ title: 'Collector memory', description: 'Resident memory of each collector instance.', unit: units.BytesIEC, min: 0 }).withTarget(
    prom(maxBy(['instance'], series(collector.processMemoryRss)), '{{instance}}'),
  );

// ---------------------------------------------------------------------------------------------- Alertmanager

export const notifications = () =>
  timeseriesPanel({
    title: 'Notifications',
    description: 'Notifications Alertmanager attempted, by integration, per second.',
    unit: units.CountsPerSecond,
    min: 0,
  }).withTarget(prom(sumBy(['integration'], rate(series(alertmanager.notifications), RATE_INTERVAL)), '{{integration}}'));

export const notificationFailures = () =>
  timeseriesPanel({
    title: 'Failed notifications',
    description: 'Notifications that failed, by integration and reason, per second: the people behind them are not told.',
    unit: units.CountsPerSecond,
    thresholds: thresholds('green', [0.001, 'red']),
    min: 0,
  }).withTarget(prom(sumBy(['integration', 'reason'], rate(series(alertmanager.notificationsFailed), RATE_INTERVAL)), '{{integration}} {{reason}}'));

export const alertsReceived = () =>
  timeseriesPanel({ title: 'Alerts received', description: 'Alerts Alertmanager received, firing and resolved, per second.', unit: units.CountsPerSecond, min: 0 }).withTarget(
    prom(sumBy(['status'], rate(series(alertmanager.alertsReceived), RATE_INTERVAL)), '{{status}}'),
  );

// ---------------------------------------------------------------------------------------------- Loki and Tempo

export const lokiLines = () =>
  timeseriesPanel({ title: 'Loki: lines received', description: 'Log lines pushed to Loki per second (OTLP and push API).', unit: units.CountsPerSecond, min: 0 }).withTarget(
    prom(perSecond(series(loki.distributorLinesReceived)), 'lines/s'),
  );

export const lokiBytes = () =>
  timeseriesPanel({ title: 'Loki: bytes received', description: 'Uncompressed log bytes pushed to Loki per second.', unit: units.BytesPerSecondIEC, min: 0 }).withTarget(
    prom(perSecond(series(loki.distributorBytesReceived)), 'bytes/s'),
  );

export const lokiDiscarded = () =>
  timeseriesPanel({
    title: 'Loki: lines discarded',
    description: 'Log lines Loki refused, by reason (rate limits, too old, too long), per second.',
    unit: units.CountsPerSecond,
    thresholds: thresholds('green', [0.001, 'red']),
    min: 0,
  }).withTarget(prom(sumBy(['reason'], rate(series(loki.discardedSamples), RATE_INTERVAL)), '{{reason}}'));

export const tempoSpans = () =>
  timeseriesPanel({ title: 'Tempo: spans received', description: 'Spans Tempo’s distributor received per second.', unit: units.CountsPerSecond, min: 0 }).withTarget(
    prom(perSecond(series(tempo.distributorSpansReceived)), 'spans/s'),
  );

export const tempoBytes = () =>
  timeseriesPanel({ title: 'Tempo: bytes received', description: 'Trace bytes (protobuf) Tempo received per second.', unit: units.BytesPerSecondIEC, min: 0 }).withTarget(
    prom(perSecond(series(tempo.distributorBytesReceived)), 'bytes/s'),
  );

export const tempoDiscarded = () =>
  timeseriesPanel({
    title: 'Tempo: spans discarded',
    description: 'Spans Tempo refused, by reason (rate limits, trace too large), per second.',
    unit: units.CountsPerSecond,
    thresholds: thresholds('green', [0.001, 'red']),
    min: 0,
  }).withTarget(prom(sumBy(['reason'], rate(series(tempo.discardedSpans), RATE_INTERVAL)), '{{reason}}'));

/** Firing alerts of the stack's own components (selected by their scrape jobs), as annotations. */
export const stackAlerts = () =>
  new dashboard.AnnotationQueryBuilder()
    .name('Stack alerts')
    .datasource({ ...PROMETHEUS })
    .enable(true)
    .iconColor('red')
    .expr(series(ALERTS, { alertstate: 'firing', job: re(STACK_SCRAPE_JOBS.map((j) => j.job).join('|')) }))
    .titleFormat('{{alertname}}')
    .textFormat('{{job}} {{instance}}')
    .tagKeys('alertname,job,severity')
    .step('60s')
    .useValueForTime(false);

// ---------------------------------------------------------------------------------------------- dashboard

export function stackHealth(): DashboardDefinition {
  const signals = Object.values(collector.COLLECTOR_SIGNALS);
  return {
    file: 'stack-health',
    uid: STACK_HEALTH_UID,
    title: 'Stack health',
    description: 'The observability stack itself: Prometheus, the OpenTelemetry Collector, Alertmanager, Loki and Tempo.',
    tags: ['stack'],
    variables: [datasourceVariable()],
    annotations: [stackAlerts()],
    rows: [
      {
        title: 'Prometheus',
        panels: [
          place(targetsDown(), 4, 7),
          place(targets(), 14, 7),
          place(configReloads(), 6, 7),
          place(ingestionRate(), 6, 8),
          place(headSeries(), 6, 8),
          place(ruleFailures(), 6, 8),
          place(alertDelivery(), 6, 8),
        ],
      },
      {
        title: 'OpenTelemetry Collector',
        panels: [
          ...signals.map((s) => place(collectorSignal(s), 8, 8)),
          place(exporterQueue(), 12, 7),
          place(collectorResources(), 12, 7),
        ],
      },
      {
        title: 'Alertmanager',
        panels: [place(notifications(), 8, 8), place(notificationFailures(), 8, 8), place(alertsReceived(), 8, 8)],
      },
      {
        title: 'Loki and Tempo ingestion',
        panels: [
          place(lokiLines(), 8, 7),
          place(lokiBytes(), 8, 7),
          place(lokiDiscarded(), 8, 7),
          place(tempoSpans(), 8, 7),
          place(tempoBytes(), 8, 7),
          place(tempoDiscarded(), 8, 7),
        ],
      },
    ],
  };
}

/**
 * Logs and traces of one service: its log volume and lines from Loki (filtered by `$service_name` and the free
 * text `$search`), each line's trace id linking to Tempo through the Loki datasource's derived fields, and Tempo
 * searches for its recent, failed and slow traces.
 */
import * as units from '@grafana/grafana-foundation-sdk/units';
import { SERVICE_LABEL } from '../../sdk/catalog/define';
import {
  countOverTimeBy,
  datasourceVariable,
  firingAlerts,
  lineContains,
  logsPanel,
  logVolumePanel,
  lokiQuery,
  place,
  searchVariable,
  serviceVariable,
  spanset,
  stream,
  tempoSearch,
  thresholds,
  traceTablePanel,
  VAR,
  type DashboardDefinition,
} from '../../dashboards';
import type { DashboardContext } from '../../mixin';

export const LOGS_TRACES_UID = 'obskit-logs-traces';
/** Traces at least this slow are listed as slow. */
export const SLOW_TRACE = '500ms';

/** The service's log lines that contain the search text. */
const serviceLogs = () => lineContains(stream({ [SERVICE_LABEL]: VAR.service }), VAR.search);
const service = { attribute: 'resource.service.name', value: VAR.service } as const;

// ---------------------------------------------------------------------------------------------- panels

export const logVolume = () =>
  logVolumePanel({
    title: 'Log volume',
    description: 'Log lines per interval matching the search, by level (Loki’s detected_level).',
    unit: units.Short,
    min: 0,
  }).withTarget(lokiQuery(countOverTimeBy(['detected_level'], serviceLogs(), '$__auto'), '{{detected_level}}'));

export const logLines = () =>
  logsPanel({
    title: 'Logs',
    description: 'The service’s log lines containing the search text, newest first. Open a line: its trace id links to the trace in Tempo.',
    unit: units.NoUnit,
  }).withTarget(lokiQuery(serviceLogs()).maxLines(1000));

export const recentTraces = () =>
  traceTablePanel({ title: 'Recent traces', description: 'The service’s latest traces; click a trace id to open it.', unit: units.Milliseconds }).withTarget(
    tempoSearch(spanset(service)),
  );

export const errorTraces = () =>
  traceTablePanel({
    title: 'Traces with errors',
    description: 'The service’s latest traces with a span in error status.',
    unit: units.Milliseconds,
    thresholds: thresholds('red'),
  }).withTarget(tempoSearch(spanset(service, { attribute: 'status', value: 'error' })));

export const slowTraces = () =>
  traceTablePanel({
    title: `Traces slower than ${SLOW_TRACE}`,
    description: `The service’s latest traces with a span of at least ${SLOW_TRACE}.`,
    unit: units.Milliseconds,
    thresholds: thresholds('orange'),
  }).withTarget(tempoSearch(spanset(service, { attribute: 'duration', atLeast: SLOW_TRACE })));

// ---------------------------------------------------------------------------------------------- dashboard

export function logsTraces({ services, defaultService }: DashboardContext<unknown>): DashboardDefinition {
  return {
    file: 'logs-traces',
    uid: LOGS_TRACES_UID,
    title: 'Logs and traces',
    description: 'Log lines and traces of one service, linked to each other by trace id.',
    tags: ['logs', 'traces', 'service'],
    variables: [datasourceVariable(), serviceVariable(services.map((s) => s.name), defaultService), searchVariable()],
    annotations: [firingAlerts()],
    rows: [
      { title: 'Logs', panels: [place(logVolume(), 24, 6), place(logLines(), 24, 14)] },
      { title: 'Traces', panels: [place(recentTraces(), 8, 10), place(errorTraces(), 8, 10), place(slowTraces(), 8, 10)] },
    ],
  };
}

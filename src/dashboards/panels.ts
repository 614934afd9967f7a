/**
 * Panel and query building blocks shared by the dashboards: each panel kind with obskit's defaults, a required
 * unit, thresholds (a neutral single step unless given), and the query builders for Prometheus, Loki and Tempo.
 * A dashboard's panels are one small function each on top of these (see service-overview.ts).
 */
import * as bargauge from '@grafana/grafana-foundation-sdk/bargauge';
import type * as cog from '@grafana/grafana-foundation-sdk/cog';
import * as common from '@grafana/grafana-foundation-sdk/common';
import * as dashboard from '@grafana/grafana-foundation-sdk/dashboard';
import * as logs from '@grafana/grafana-foundation-sdk/logs';
import * as loki from '@grafana/grafana-foundation-sdk/loki';
import * as prometheus from '@grafana/grafana-foundation-sdk/prometheus';
import * as stat from '@grafana/grafana-foundation-sdk/stat';
import * as statetimeline from '@grafana/grafana-foundation-sdk/statetimeline';
import * as table from '@grafana/grafana-foundation-sdk/table';
import * as tempo from '@grafana/grafana-foundation-sdk/tempo';
import * as timeseries from '@grafana/grafana-foundation-sdk/timeseries';
import type * as units from '@grafana/grafana-foundation-sdk/units';
import { Rational } from '../promql/decimal';
import type { Expr } from '../promql/expr';
import { LOKI, PROMETHEUS, TEMPO } from './datasources';
import type { LogQL, TraceQL } from './queries';

/** A Grafana unit id, as the foundation SDK lists them (`reqps`, `percentunit`, `s`, `bytes`, …). */
export type GrafanaUnit = (typeof units)[keyof typeof units];

/** What every panel states: a title, what it shows, its unit, and the values at which it changes colour. */
export interface PanelOptions {
  readonly title: string;
  readonly description: string;
  readonly unit: GrafanaUnit;
  /** Defaults to a single neutral step (no value is good or bad by itself). */
  readonly thresholds?: dashboard.ThresholdsConfigBuilder;
  readonly min?: number;
  readonly max?: number;
  readonly decimals?: number;
}

/** Absolute thresholds: `base` below the first step, then each `[value, colour]` from that value up. */
export function thresholds(base: string, ...steps: readonly (readonly [number, string])[]): dashboard.ThresholdsConfigBuilder {
  return new dashboard.ThresholdsConfigBuilder()
    .mode(dashboard.ThresholdsMode.Absolute)
    .steps([{ value: null, color: base }, ...steps.map(([value, color]) => ({ value, color }))]);
}

/**
 * Thresholds for a value with an alert on it: orange from half the alert's threshold, red from the threshold
 * itself (so the red line on a graph is where the alert fires). Halving is exact (0.05 → 0.025, not float noise).
 */
export function alertThresholds(alertAt: number): dashboard.ThresholdsConfigBuilder {
  return thresholds('green', [Rational.of(alertAt).div(2).toNumber(), 'orange'], [alertAt, 'red']);
}

/** Methods every panel builder of the SDK has. */
interface AnyPanelBuilder {
  title(title: string): unknown;
  description(description: string): unknown;
  unit(unit: string): unknown;
  thresholds(t: cog.Builder<dashboard.ThresholdsConfig>): unknown;
  datasource(ds: common.DataSourceRef): unknown;
  min(min: number): unknown;
  max(max: number): unknown;
  decimals(decimals: number): unknown;
}

function withOptions<B extends AnyPanelBuilder>(builder: B, o: PanelOptions, datasource: common.DataSourceRef): B {
  builder.title(o.title);
  builder.description(o.description);
  builder.unit(o.unit);
  builder.thresholds(o.thresholds ?? thresholds('green'));
  builder.datasource({ ...datasource });
  if (o.min !== undefined) builder.min(o.min);
  if (o.max !== undefined) builder.max(o.max);
  if (o.decimals !== undefined) builder.decimals(o.decimals);
  return builder;
}

// ---------------------------------------------------------------------------------------------- panels

export interface TimeseriesOptions extends PanelOptions {
  /** Stack the series (status codes, signals): the top line is the total. */
  readonly stacked?: boolean;
  /** Draw the thresholds on the graph (error ratio, latency, burn rate). */
  readonly showThresholds?: boolean;
}

export function timeseriesPanel(o: TimeseriesOptions): timeseries.PanelBuilder {
  const panel = withOptions(new timeseries.PanelBuilder(), o, PROMETHEUS)
    .lineWidth(1)
    .fillOpacity(o.stacked ? 30 : 10)
    .showPoints(common.VisibilityMode.Never)
    .legend(new common.VizLegendOptionsBuilder().showLegend(true).displayMode(common.LegendDisplayMode.List).placement(common.LegendPlacement.Bottom))
    .tooltip(new common.VizTooltipOptionsBuilder().mode(common.TooltipDisplayMode.Multi).sort(common.SortOrder.Descending))
    .thresholdsStyle(
      new common.GraphThresholdsStyleConfigBuilder().mode(o.showThresholds ? common.GraphThresholdsStyleMode.Dashed : common.GraphThresholdsStyleMode.Off),
    );
  if (o.stacked) panel.stacking(new common.StackingConfigBuilder().mode(common.StackingMode.Normal));
  return panel;
}

export function statPanel(o: PanelOptions & { readonly sparkline?: boolean }): stat.PanelBuilder {
  return withOptions(new stat.PanelBuilder(), o, PROMETHEUS)
    .graphMode(o.sparkline === false ? common.BigValueGraphMode.None : common.BigValueGraphMode.Area)
    .colorMode(common.BigValueColorMode.Value)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
}

export function bargaugePanel(o: PanelOptions): bargauge.PanelBuilder {
  return withOptions(new bargauge.PanelBuilder(), o, PROMETHEUS)
    .orientation(common.VizOrientation.Horizontal)
    .displayMode(common.BarGaugeDisplayMode.Gradient)
    .showUnfilled(true)
    .reduceOptions(new common.ReduceDataOptionsBuilder().calcs(['lastNotNull']).values(false));
}

/** A table of an instant query, sorted by its value, largest first, without the time column. */
export function tablePanel(o: PanelOptions): table.PanelBuilder {
  return withOptions(new table.PanelBuilder(), o, PROMETHEUS)
    .withTransformation({ id: 'organize', options: { excludeByName: { Time: true }, indexByName: {}, renameByName: {} } })
    .sortBy([new common.TableSortByFieldStateBuilder().displayName('Value').desc(true)]);
}

export function stateTimelinePanel(o: PanelOptions & { readonly mappings?: dashboard.ValueMapping[] }): statetimeline.PanelBuilder {
  const panel = withOptions(new statetimeline.PanelBuilder(), o, PROMETHEUS)
    .mergeValues(true)
    .showValue(common.VisibilityMode.Never)
    .legend(new common.VizLegendOptionsBuilder().showLegend(false));
  if (o.mappings) panel.mappings(o.mappings);
  return panel;
}

/** Log lines from Loki; trace ids in them link to Tempo through the Loki datasource's derived fields. */
export function logsPanel(o: PanelOptions): logs.PanelBuilder {
  return withOptions(new logs.PanelBuilder(), o, LOKI)
    .showTime(true)
    .wrapLogMessage(true)
    .enableLogDetails(true)
    .prettifyLogMessage(false)
    .sortOrder(common.LogsSortOrder.Descending)
    .dedupStrategy(common.LogsDedupStrategy.None);
}

/** Trace search results from Tempo (each row opens the trace). */
export function traceTablePanel(o: PanelOptions): table.PanelBuilder {
  return withOptions(new table.PanelBuilder(), o, TEMPO);
}

/** A Loki metric query (log volume) drawn as a time series. */
export function logVolumePanel(o: TimeseriesOptions): timeseries.PanelBuilder {
  return timeseriesPanel({ ...o, stacked: true }).datasource({ ...LOKI }).drawStyle(common.GraphDrawStyle.Bars);
}

/** `0 → text`, `1 → text`: a gauge of 0/1 (up, reload successful) as words and colours. */
export function binaryMapping(zero: { text: string; color: string }, one: { text: string; color: string }): dashboard.ValueMapping {
  return {
    type: dashboard.MappingType.ValueToText,
    options: { '0': { ...zero, index: 0 }, '1': { ...one, index: 1 } },
  };
}

// ---------------------------------------------------------------------------------------------- queries

/** A Prometheus range query. */
export function prom(expr: Expr, legend?: string): prometheus.DataqueryBuilder {
  const q = new prometheus.DataqueryBuilder().datasource({ ...PROMETHEUS }).editorMode(prometheus.QueryEditorMode.Code).expr(expr).range();
  return legend === undefined ? q : q.legendFormat(legend);
}

/** A Prometheus instant query as a table (for tables and "now" gauges). */
export function promInstant(expr: Expr, legend?: string): prometheus.DataqueryBuilder {
  return prom(expr, legend).instant().format(prometheus.PromQueryFormat.Table);
}

/** A Loki query: log lines (`range`) or a metric query over them. */
export function lokiQuery(expr: LogQL, legend?: string): loki.DataqueryBuilder {
  const q = new loki.DataqueryBuilder().datasource({ ...LOKI }).editorMode(loki.QueryEditorMode.Code).expr(expr).queryType(loki.LokiQueryType.Range);
  return legend === undefined ? q : q.legendFormat(legend);
}

/** A Tempo TraceQL search, newest traces first. */
export function tempoSearch(query: TraceQL, limit = 20): tempo.DataqueryBuilder {
  return new tempo.DataqueryBuilder()
    .datasource({ ...TEMPO })
    .queryType(tempo.TempoQueryType.Traceql)
    .query(query)
    .limit(limit)
    .tableType(tempo.SearchTableType.Traces);
}

import { Summary as PSummary, type OpenMetricsContentType, type Registry } from 'prom-client';
import type { AnyMetricDef, LabelValues, MetricDef } from '../catalog/define';
import { currentExemplar, type ExemplarLabels } from '../tracing/context';
import { SeriesTable } from './cardinality';
import { labelValues, type Labels } from './labels';
import {
  exemplarOf,
  NativeCounter,
  NativeGauge,
  NativeHistogram,
  type HistogramSeries,
  type NativeMetric,
  type ScalarSeries,
} from './native';

export type CounterDef = MetricDef<string, 'counter', readonly string[]>;
export type GaugeDef = MetricDef<string, 'gauge', readonly string[]>;
export type HistogramDef = MetricDef<string, 'histogram', readonly string[]>;
export type SummaryDef = MetricDef<string, 'summary', readonly string[]>;

/** `(labels, value?)` for a metric with labels, `(value?)` for one without: wrong or missing labels do not compile. */
export type WithLabels<D extends AnyMetricDef, Rest extends unknown[]> = D['labelNames'] extends readonly []
  ? Rest
  : [labels: LabelValues<D>, ...Rest];

/** What an instrument needs from the telemetry that owns it. */
export interface InstrumentContext {
  readonly registry: Registry<OpenMetricsContentType>;
  readonly maxSeries: number;
  /** Called once per observation folded into a metric's overflow series. */
  readonly onFold: (metricName: string) => void;
}

function split(def: AnyMetricDef, args: readonly unknown[]): { labels: unknown; rest: readonly unknown[] } {
  return def.labelNames.length === 0 ? { labels: undefined, rest: args } : { labels: args[0], rest: args.slice(1) };
}

function numberArg(def: AnyMetricDef, value: unknown, fallback?: number): number {
  if (value === undefined && fallback !== undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`metric "${def.name}": value must be a finite number, got ${String(value)}`);
  }
  return value;
}

const NO_VALUES: readonly string[] = [];

/** Shared by all instruments: checks labels against the definition and finds the (capped) series. */
abstract class Instrument<D extends AnyMetricDef, S> {
  protected abstract readonly table: SeriesTable<S>;

  constructor(readonly def: D) {}

  /** The series for user-supplied labels (throws a LabelError when they do not match the definition). */
  protected resolve(labels: unknown): S {
    if (this.def.labelNames.length === 0) {
      if (labels !== undefined) labelValues(this.def, labels);
      return this.table.get(NO_VALUES);
    }
    return this.table.get(labelValues(this.def, labels));
  }

  /** Fast path for trusted callers that hold the values in declared order. */
  series(values: readonly string[]): S {
    return this.table.get(values);
  }

  /** Distinct label sets recorded (the overflow series not included). */
  get seriesCount(): number {
    return this.table.size;
  }
}

function register(ctx: InstrumentContext, metric: NativeMetric<unknown>): void {
  ctx.registry.registerMetric(metric as never);
}

export class Counter<D extends CounterDef = CounterDef> extends Instrument<D, ScalarSeries> {
  private readonly metric: NativeCounter;
  protected readonly table: SeriesTable<ScalarSeries>;

  constructor(def: D, ctx: InstrumentContext) {
    super(def);
    this.metric = new NativeCounter(def, ctx.maxSeries, () => ctx.onFold(def.name));
    this.table = this.metric.table;
    register(ctx, this.metric);
  }

  /** Adds `value` (default 1). Attaches the active trace as exemplar when the span is sampled. */
  inc(...args: WithLabels<D, [value?: number]>): void {
    const { labels, rest } = split(this.def, args);
    const value = numberArg(this.def, rest[0], 1);
    if (value < 0) throw new RangeError(`metric "${this.def.name}": a counter cannot decrease (got ${value})`);
    this.add(this.resolve(labels), value, currentExemplar());
  }

  /** Adds to a series found with `series()`. */
  add(series: ScalarSeries, value: number, exemplar: ExemplarLabels | undefined): void {
    series.value += value;
    if (exemplar) series.exemplar = exemplarOf(exemplar, value);
  }
}

export class Gauge<D extends GaugeDef = GaugeDef> extends Instrument<D, ScalarSeries> {
  private readonly metric: NativeGauge;
  protected readonly table: SeriesTable<ScalarSeries>;

  constructor(def: D, ctx: InstrumentContext) {
    super(def);
    this.metric = new NativeGauge(def, ctx.maxSeries, () => ctx.onFold(def.name));
    this.table = this.metric.table;
    register(ctx, this.metric);
  }

  set(...args: WithLabels<D, [value: number]>): void {
    const { labels, rest } = split(this.def, args);
    this.resolve(labels).value = numberArg(this.def, rest[0]);
  }

  inc(...args: WithLabels<D, [value?: number]>): void {
    const { labels, rest } = split(this.def, args);
    this.resolve(labels).value += numberArg(this.def, rest[0], 1);
  }

  dec(...args: WithLabels<D, [value?: number]>): void {
    const { labels, rest } = split(this.def, args);
    this.resolve(labels).value -= numberArg(this.def, rest[0], 1);
  }
}

export class Histogram<D extends HistogramDef = HistogramDef> extends Instrument<D, HistogramSeries> {
  private readonly metric: NativeHistogram;
  protected readonly table: SeriesTable<HistogramSeries>;

  constructor(def: D, ctx: InstrumentContext) {
    super(def);
    this.metric = new NativeHistogram(def, ctx.maxSeries, () => ctx.onFold(def.name));
    this.table = this.metric.table;
    register(ctx, this.metric);
  }

  /** Records `value`. Attaches the active trace as exemplar when the span is sampled. */
  observe(...args: WithLabels<D, [value: number]>): void {
    const { labels, rest } = split(this.def, args);
    this.record(this.resolve(labels), numberArg(this.def, rest[0]), currentExemplar());
  }

  /** Starts a timer; calling the result records the elapsed seconds (and returns them). */
  startTimer(...args: WithLabels<D, []>): () => number {
    const { labels } = split(this.def, args);
    const series = this.resolve(labels);
    const start = process.hrtime.bigint();
    return () => {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      this.record(series, seconds, currentExemplar());
      return seconds;
    };
  }

  /** Records into a series found with `series()`. */
  record(series: HistogramSeries, value: number, exemplar: ExemplarLabels | undefined): void {
    if (!Number.isFinite(value)) throw new TypeError(`metric "${this.def.name}": value must be a finite number`);
    this.metric.observe(series, value, exemplar);
  }
}

/** Summaries keep prom-client's quantile sketch; the series cap applies the same way. */
export class Summary<D extends SummaryDef = SummaryDef> extends Instrument<D, Labels> {
  private readonly metric: PSummary;
  protected readonly table: SeriesTable<Labels>;

  constructor(def: D, ctx: InstrumentContext) {
    super(def);
    this.table = new SeriesTable<Labels>(def.labelNames, def.maxSeries ?? ctx.maxSeries, (labels) => labels, () => ctx.onFold(def.name));
    this.metric = new PSummary({
      name: def.name,
      help: def.help,
      labelNames: [...def.labelNames],
      ...(def.percentiles ? { percentiles: [...def.percentiles] } : {}),
      registers: [ctx.registry],
    });
  }

  observe(...args: WithLabels<D, [value: number]>): void {
    const { labels, rest } = split(this.def, args);
    this.metric.observe(this.resolve(labels), numberArg(this.def, rest[0]));
  }
}

export type InstrumentFor<D extends AnyMetricDef> = D extends CounterDef
  ? Counter<D>
  : D extends GaugeDef
    ? Gauge<D>
    : D extends HistogramDef
      ? Histogram<D>
      : D extends SummaryDef
        ? Summary<D>
        : never;

/** Creates the instrument for a definition, by its type. */
export function createInstrument<D extends AnyMetricDef>(def: D, ctx: InstrumentContext): InstrumentFor<D> {
  switch (def.type) {
    case 'counter':
      return new Counter(def as unknown as CounterDef, ctx) as unknown as InstrumentFor<D>;
    case 'gauge':
      return new Gauge(def as unknown as GaugeDef, ctx) as unknown as InstrumentFor<D>;
    case 'histogram':
      return new Histogram(def as unknown as HistogramDef, ctx) as unknown as InstrumentFor<D>;
    case 'summary':
      return new Summary(def as unknown as SummaryDef, ctx) as unknown as InstrumentFor<D>;
  }
}

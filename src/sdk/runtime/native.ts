import type { AnyMetricDef } from '../catalog/define';
import type { ExemplarLabels } from '../tracing/context';
import { SeriesTable } from './cardinality';
import { escapeHelp, formatPairs, formatValue, joinPairs } from './format';
import type { Labels } from './labels';

/**
 * The SDK's own metric storage for counters, gauges and histograms. Each object is registered in the
 * prom-client registry (it has the `name`/`help`/`type`/`get()`/`reset()` prom-client's registry uses, so
 * `registry.metrics()` and `getMetricsAsJSON()` still work), but recording is a lookup in a capped series
 * table plus a few additions, and exposition writes text directly from the stored series.
 */

export interface StoredExemplar {
  readonly labels: ExemplarLabels;
  readonly value: number;
  readonly timestamp: number;
}

export interface ScalarSeries {
  readonly labels: Labels;
  readonly labelText: string;
  value: number;
  exemplar: StoredExemplar | undefined;
}

export interface HistogramSeries {
  readonly labels: Labels;
  readonly labelText: string;
  /** Per-bucket (non-cumulative) counts; the last slot is the +Inf bucket. */
  readonly counts: number[];
  sum: number;
  count: number;
  exemplars: (StoredExemplar | undefined)[] | undefined;
}

export type ExpositionFormat = 'prometheus' | 'openmetrics';

interface PromValue {
  value: number;
  labels: Record<string, string | number>;
  metricName?: string;
  exemplar?: { labelSet: ExemplarLabels; value: number; timestamp: number } | null;
}

function exemplarText(e: StoredExemplar | undefined): string {
  return e ? ` # {${formatPairs(e.labels)}} ${formatValue(e.value)} ${e.timestamp}` : '';
}

function promExemplar(e: StoredExemplar | undefined): PromValue['exemplar'] {
  return e ? { labelSet: e.labels, value: e.value, timestamp: e.timestamp } : null;
}

export function exemplarOf(labels: ExemplarLabels, value: number): StoredExemplar {
  return { labels, value, timestamp: Date.now() / 1000 };
}

export abstract class NativeMetric<S> {
  /** Read by prom-client's registry; prom-client may rewrite it (counters), so rendering uses `def.name`. */
  name: string;
  readonly help: string;
  readonly aggregator = 'sum';
  readonly labelNames: string[];
  readonly table: SeriesTable<S>;
  abstract readonly type: string;

  constructor(
    readonly def: AnyMetricDef,
    maxSeries: number,
    onFold: () => void,
  ) {
    this.name = def.name;
    this.help = def.help;
    this.labelNames = [...def.labelNames];
    this.table = new SeriesTable(def.labelNames, def.maxSeries ?? maxSeries, (labels) => this.createSeries(labels), onFold);
  }

  protected abstract createSeries(labels: Labels): S;

  /** Appends this metric's exposition lines; `defaults` is the formatted default labels (`service_name="x"`). */
  abstract write(lines: string[], format: ExpositionFormat, defaults: string): void;

  reset(): void {
    this.table.clear();
  }
}

abstract class ScalarMetric extends NativeMetric<ScalarSeries> {
  protected createSeries(labels: Labels): ScalarSeries {
    return { labels, labelText: formatPairs(labels), value: 0, exemplar: undefined };
  }

  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: PromValue[] }> {
    const values = this.table.all().map((s) => ({ value: s.value, labels: { ...s.labels }, exemplar: promExemplar(s.exemplar) }));
    return { name: this.def.name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  protected writeScalars(lines: string[], family: string, sample: string, format: ExpositionFormat, defaults: string): void {
    const om = format === 'openmetrics';
    lines.push(`# HELP ${family} ${escapeHelp(this.help, om)}`, `# TYPE ${family} ${this.type}`);
    for (const s of this.table.all()) {
      const labels = joinPairs(s.labelText, defaults);
      const head = labels ? `${sample}{${labels}} ` : `${sample} `;
      lines.push(head + formatValue(s.value) + (om ? exemplarText(s.exemplar) : ''));
    }
  }
}

export class NativeCounter extends ScalarMetric {
  readonly type = 'counter';

  constructor(def: AnyMetricDef, maxSeries: number, onFold: () => void) {
    super(def, maxSeries, onFold);
    if (def.labelNames.length === 0) this.table.get([]); // a labelless counter is exposed as 0 from the start
  }

  write(lines: string[], format: ExpositionFormat, defaults: string): void {
    const base = this.def.name.replace(/_total$/, '');
    this.writeScalars(lines, format === 'openmetrics' ? base : `${base}_total`, `${base}_total`, format, defaults);
  }
}

export class NativeGauge extends ScalarMetric {
  readonly type = 'gauge';

  write(lines: string[], format: ExpositionFormat, defaults: string): void {
    this.writeScalars(lines, this.def.name, this.def.name, format, defaults);
  }
}

export class NativeHistogram extends NativeMetric<HistogramSeries> {
  readonly type = 'histogram';
  readonly bounds: readonly number[];
  private readonly leText: readonly string[];

  constructor(def: AnyMetricDef, maxSeries: number, onFold: () => void) {
    super(def, maxSeries, onFold);
    this.bounds = def.buckets ?? [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
    this.leText = [...this.bounds.map(formatValue), '+Inf'];
  }

  protected createSeries(labels: Labels): HistogramSeries {
    return { labels, labelText: formatPairs(labels), counts: new Array<number>(this.bounds.length + 1).fill(0), sum: 0, count: 0, exemplars: undefined };
  }

  /** Adds one observation (and its exemplar, kept per bucket as OpenMetrics defines). */
  observe(s: HistogramSeries, value: number, exemplar: ExemplarLabels | undefined): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > (bounds[i] as number)) i += 1;
    (s.counts[i] as number) += 1;
    s.sum += value;
    s.count += 1;
    if (exemplar) {
      s.exemplars ??= new Array<StoredExemplar | undefined>(bounds.length + 1).fill(undefined);
      s.exemplars[i] = exemplarOf(exemplar, value);
    }
  }

  async get(): Promise<{ name: string; help: string; type: string; aggregator: string; values: PromValue[] }> {
    const name = this.def.name;
    const values: PromValue[] = [];
    for (const s of this.table.all()) {
      let cumulative = 0;
      s.counts.forEach((c, i) => {
        cumulative += c;
        const le = i < this.bounds.length ? (this.bounds[i] as number) : '+Inf';
        values.push({ value: cumulative, labels: { ...s.labels, le }, metricName: `${name}_bucket`, exemplar: promExemplar(s.exemplars?.[i]) });
      });
      values.push({ value: s.sum, labels: { ...s.labels }, metricName: `${name}_sum` });
      values.push({ value: s.count, labels: { ...s.labels }, metricName: `${name}_count` });
    }
    return { name, help: this.help, type: this.type, aggregator: this.aggregator, values };
  }

  write(lines: string[], format: ExpositionFormat, defaults: string): void {
    const name = this.def.name;
    const om = format === 'openmetrics';
    lines.push(`# HELP ${name} ${escapeHelp(this.help, om)}`, `# TYPE ${name} histogram`);
    for (const s of this.table.all()) {
      const labels = joinPairs(s.labelText, defaults);
      const bucket = `${name}_bucket{${labels ? `${labels},` : ''}le="`;
      let cumulative = 0;
      for (let i = 0; i < s.counts.length; i += 1) {
        cumulative += s.counts[i] as number;
        lines.push(`${bucket}${this.leText[i]}"} ${cumulative}${om && s.exemplars ? exemplarText(s.exemplars[i]) : ''}`);
      }
      const tail = labels ? `{${labels}} ` : ' ';
      lines.push(`${name}_sum${tail}${formatValue(s.sum)}`, `${name}_count${tail}${s.count}`);
    }
  }
}

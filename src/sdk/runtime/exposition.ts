import type { Registry, RegistryContentType } from 'prom-client';
import { escapeHelp, formatPairs, formatValue, joinPairs } from './format';
import type { Labels } from './labels';
import { NativeMetric, type ExpositionFormat } from './native';

/**
 * Renders a prom-client registry in either exposition format from one set of metric objects.
 *
 * prom-client renders exemplars only from an OpenMetrics registry, and its OpenMetrics rendering renames
 * counters in place (it strips `_total` from the metric object), which would break a later Prometheus-text
 * render of the same registry. This renderer never mutates metrics and always names counter samples
 * `<base>_total` in both formats, so a scrape sees the same series whichever format it negotiates. The SDK's
 * native metrics write their own lines (label text formatted once per series); other prom-client metrics
 * (default metrics, a user's own) are rendered from their `get()` data.
 */

export type { ExpositionFormat } from './native';

export const CONTENT_TYPES: Readonly<Record<ExpositionFormat, string>> = {
  prometheus: 'text/plain; version=0.0.4; charset=utf-8',
  openmetrics: 'application/openmetrics-text; version=1.0.0; charset=utf-8',
};

interface ExemplarData {
  readonly labelSet?: Record<string, unknown>;
  readonly value?: number | null;
  readonly timestamp?: number;
}

interface ValueData {
  readonly value: number;
  readonly labels?: Record<string, unknown>;
  readonly sharedLabels?: Record<string, unknown>;
  readonly metricName?: string;
  readonly exemplar?: ExemplarData | null;
}

interface MetricData {
  readonly name: string;
  readonly help: string;
  readonly type: string;
  readonly values?: readonly ValueData[];
}

interface RenderableMetric {
  get(): Promise<MetricData> | MetricData;
  getForPromString?(): Promise<MetricData> | MetricData;
}

function isEmpty(labels: Readonly<Record<string, unknown>> | undefined): boolean {
  if (!labels) return true;
  for (const _ in labels) return false;
  return true;
}

export class Renderer {
  private readonly defaultPairs: string;

  constructor(private readonly defaultLabels: Labels) {
    this.defaultPairs = formatPairs(defaultLabels);
  }

  /** A foreign series' labels plus the default labels it does not override. */
  private seriesPairs(labels: Readonly<Record<string, unknown>>): string {
    return isEmpty(labels) ? this.defaultPairs : joinPairs(formatPairs(labels), formatPairs(this.defaultLabels, labels));
  }

  /** prom-client metrics the SDK did not create (default metrics, a user's own), from their `get()` data. */
  private foreignText(lines: string[], metric: MetricData, format: ExpositionFormat): void {
    const om = format === 'openmetrics';
    const isCounter = metric.type === 'counter';
    const base = isCounter ? metric.name.replace(/_total$/, '') : metric.name;
    const family = isCounter && !om ? `${base}_total` : base;
    lines.push(`# HELP ${family} ${escapeHelp(metric.help, om)}`, `# TYPE ${family} ${metric.type}`);
    for (const v of metric.values ?? []) {
      const sample = isCounter ? `${base}_total` : (v.metricName ?? base);
      const labelText = isEmpty(v.sharedLabels)
        ? this.seriesPairs(v.labels ?? {})
        : joinPairs(this.seriesPairs(v.sharedLabels as Record<string, unknown>), isEmpty(v.labels) ? '' : formatPairs(v.labels ?? {}));
      let line = labelText ? `${sample}{${labelText}} ${formatValue(v.value)}` : `${sample} ${formatValue(v.value)}`;
      const ex = v.exemplar;
      if (om && ex && ex.value !== null && ex.value !== undefined && !isEmpty(ex.labelSet)) {
        line += ` # {${formatPairs(ex.labelSet ?? {})}} ${formatValue(ex.value)}`;
        if (ex.timestamp !== undefined) line += ` ${ex.timestamp}`;
      }
      lines.push(line);
    }
  }

  /** The registry's metrics in `format` (OpenMetrics output ends with `# EOF`). */
  async render(registry: Registry<RegistryContentType>, format: ExpositionFormat): Promise<string> {
    const metrics = registry.getMetricsAsArray() as unknown as (RenderableMetric | NativeMetric<unknown>)[];
    const foreign = await Promise.all(
      metrics.map((m) => (m instanceof NativeMetric ? undefined : m.getForPromString ? m.getForPromString() : m.get())),
    );
    const lines: string[] = [];
    metrics.forEach((m, i) => {
      if (m instanceof NativeMetric) m.write(lines, format, this.defaultPairs);
      else this.foreignText(lines, foreign[i] as MetricData, format);
    });
    return format === 'openmetrics' ? `${lines.join('\n')}\n# EOF\n` : `${lines.join('\n')}\n`;
  }
}

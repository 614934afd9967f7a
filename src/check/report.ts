import type { Comparison, Finding } from './compare';
import type { ExpositionFormat } from './exposition';

export interface ReportContext {
  readonly service: string;
  readonly where: string;
  readonly format: ExpositionFormat;
  readonly families: number;
  readonly mixins: readonly string[];
  readonly catalogSize: number;
  readonly required: number;
}

const ORDER: readonly Finding['kind'][] = ['missing', 'unit', 'type', 'buckets', 'unknown-label', 'unbounded', 'unknown-metric'];

/** One line per finding (`metric (mixin mixin): what is wrong`), then the verdict. */
export function report(ctx: ReportContext, result: Comparison): string[] {
  const head =
    `obskit check: service "${ctx.service}" at ${ctx.where} (${ctx.format === 'openmetrics' ? 'OpenMetrics' : 'Prometheus text'}, ` +
    `${ctx.families} metric families) against its mixins ${ctx.mixins.join(', ')}`;
  const findings = [...result.findings].sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind) || a.metric.localeCompare(b.metric));
  const lines = [head, ...findings.map((f) => `  ${f.metric} (${f.mixin ? `${f.mixin} mixin` : 'no mixin'}): ${f.message}`)];
  if (result.withoutSamples.length > 0) {
    lines.push(`  note: declared without samples yet (no traffic to them?): ${result.withoutSamples.sort().join(', ')}`);
  }
  for (const note of result.notes) lines.push(`  note: ${note}`);
  lines.push(
    findings.length === 0
      ? `clean: all ${ctx.required} metrics its dashboards, alerts, recording rules and SLOs query are exposed; ${result.matched} of the ` +
          `${ctx.catalogSize} catalog metrics found, each with the catalog's type, unit, labels, buckets and label bounds`
      : `breach: ${findings.length} problem${findings.length === 1 ? '' : 's'}`,
  );
  return lines;
}

import { parser } from '@grafana/lezer-logql';
import type { SyntaxNode } from '@lezer/common';
import { selectorMatchers, unquoteLogQL, type StreamMatcher } from '../../../src/logql/check';
import { lokiLabelName, OTLP_DEFAULT_INDEX_ATTRIBUTES } from '../../../src/logql/stream-labels';
import { syntaxError } from '../../../src/lezer/syntax-error';
import type { DecodedLogRecord } from './otlp-proto';

/**
 * Loki does not run here (AGPL), so the dashboards' LogQL is not executed by it. Instead each query is parsed with
 * the LogQL grammar Grafana uses (@grafana/lezer-logql) and evaluated against the log records the collector delivered
 * to the Loki stand-in, seen the way Loki 3.7 stores OTLP records (pkg/loghttp/push/otlp.go and
 * pkg/distributor/field_detection.go at v3.7.6, cited in test/config/reference/loki-3.7.8.json):
 *
 * - stream (index) labels: the resource attributes of `default_resource_attributes_as_index_labels`, with every
 *   character outside [a-zA-Z0-9_] turned into `_` (service.name → service_name);
 * - structured metadata: the other resource attributes, the scope name as `scope_name`, the record's attributes,
 *   `trace_id` and `span_id` (hex), `severity_text`, `severity_number`, and `detected_level` from the severity number;
 * - the line: the record's body as a string.
 *
 * Only the LogQL obskit generates is understood (a selector, line filters, label filters, and `sum by (…)` of
 * `count_over_time`); any other node is an error naming it, so a new query shape has to be taught here on purpose.
 */

export interface LokiRecord {
  readonly stream: Readonly<Record<string, string>>;
  readonly metadata: Readonly<Record<string, string>>;
  readonly line: string;
}

const INDEXED: ReadonlySet<string> = new Set(OTLP_DEFAULT_INDEX_ATTRIBUTES);

const asString = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v));

/** Loki's detected_level from an OTLP severity number (SeverityNumber ranges of the OpenTelemetry log data model). */
export function detectedLevel(severityNumber: number): string {
  if (severityNumber === 0) return 'unknown';
  const levels = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'];
  return levels[Math.floor((severityNumber - 1) / 4)] ?? 'unknown';
}

/** A received OTLP log record as Loki would store it. */
export function lokiRecord(r: DecodedLogRecord): LokiRecord {
  const stream: Record<string, string> = {};
  const metadata: Record<string, string> = {};
  for (const [key, value] of Object.entries(r.resource)) (INDEXED.has(key) ? stream : metadata)[lokiLabelName(key)] = asString(value);
  if (r.scope) metadata.scope_name = r.scope;
  for (const [key, value] of Object.entries(r.attributes)) metadata[lokiLabelName(key)] = asString(value);
  if (r.severityNumber !== 0) metadata.severity_number = String(r.severityNumber);
  if (r.severityText) metadata.severity_text = r.severityText;
  if (r.traceId) metadata.trace_id = r.traceId;
  if (r.spanId) metadata.span_id = r.spanId;
  metadata.detected_level = detectedLevel(r.severityNumber);
  return { stream, metadata, line: asString(r.body ?? '') };
}

/** What a query refers to: stream selector labels, label-filter labels, grouping labels. */
export interface LogQLUses {
  readonly streamLabels: string[];
  readonly filterLabels: string[];
  readonly groupBy: string[];
}

export type LogQLResult = { kind: 'logs'; records: LokiRecord[] } | { kind: 'counts'; groups: Map<string, number> };

function matches(m: StreamMatcher, value: string | undefined): boolean {
  const v = value ?? '';
  switch (m.op) {
    case '=':
      return v === m.value;
    case '!=':
      return v !== m.value;
    case '=~':
      return new RegExp(`^(?:${m.value})$`).test(v);
    case '!~':
      return !new RegExp(`^(?:${m.value})$`).test(v);
  }
}

class Evaluator {
  readonly uses: { streamLabels: Set<string>; filterLabels: Set<string>; groupBy: string[] } = { streamLabels: new Set(), filterLabels: new Set(), groupBy: [] };
  constructor(private readonly expr: string) {}

  private text(n: SyntaxNode): string {
    return this.expr.slice(n.from, n.to);
  }

  private unknown(n: SyntaxNode): never {
    throw new Error(`the stand-in's LogQL evaluator does not know ${n.type.name} (${JSON.stringify(this.text(n))}): teach it in test/live/support/logql.ts`);
  }

  private only(n: SyntaxNode, name: string): SyntaxNode {
    const child = n.firstChild;
    if (!child || child.type.name !== name || child.nextSibling) return this.unknown(child ?? n);
    return child;
  }

  /** A Selector plus an optional PipelineExpr (LogExpr or LogRangeExpr). */
  logs(node: SyntaxNode, records: readonly LokiRecord[]): LokiRecord[] {
    let out = [...records];
    for (let child = node.firstChild; child; child = child.nextSibling) {
      if (child.type.name === 'Selector') {
        const matchers = selectorMatchers(child, this.expr);
        for (const m of matchers) this.uses.streamLabels.add(m.label);
        out = out.filter((r) => matchers.every((m) => matches(m, r.stream[m.label])));
      } else if (child.type.name === 'PipelineExpr') {
        for (const stage of child.getChildren('PipelineStage')) out = this.stage(stage, out);
      } else if (child.type.name !== 'Range') {
        this.unknown(child);
      }
    }
    return out;
  }

  private stage(stage: SyntaxNode, records: LokiRecord[]): LokiRecord[] {
    const first = stage.firstChild;
    if (first?.type.name === 'LineFilters') {
      let out = records;
      for (const filter of first.getChildren('LineFilter')) {
        const op = filter.getChild('Filter')?.firstChild;
        const strings = filter.getChildren('String');
        if (!op || strings.length !== 1 || filter.getChild('OrFilter')) return this.unknown(filter);
        const needle = unquoteLogQL(this.text(strings[0]!));
        const test: Record<string, (line: string) => boolean> = {
          PipeExact: (line) => line.includes(needle),
          Neq: (line) => !line.includes(needle),
          PipeMatch: (line) => new RegExp(needle).test(line),
          Nre: (line) => !new RegExp(needle).test(line),
        };
        const keep = test[op.type.name];
        if (!keep) return this.unknown(op);
        out = out.filter((r) => keep(r.line));
      }
      return out;
    }
    if (first?.type.name === 'Pipe' && first.nextSibling?.type.name === 'LabelFilter') {
      const matcher = this.only(first.nextSibling, 'Matcher');
      const label = this.text(matcher.getChild('Identifier')!);
      const value = unquoteLogQL(this.text(matcher.getChild('String')!));
      const op = ({ Eq: '=', Neq: '!=', Re: '=~', Nre: '!~' } as const)[matcher.getChild('String')!.prevSibling!.type.name as 'Eq'];
      if (!op) return this.unknown(matcher);
      this.uses.filterLabels.add(label);
      return records.filter((r) => matches({ label, op, value }, r.stream[label] ?? r.metadata[label]));
    }
    return this.unknown(first ?? stage);
  }

  /** `sum by (labels) (count_over_time(<log range> [range]))`, counted over every record (one window). */
  counts(metric: SyntaxNode, records: readonly LokiRecord[]): Map<string, number> {
    const aggregation = this.only(metric, 'VectorAggregationExpr');
    const op = aggregation.getChild('VectorOp');
    if (this.text(op ?? aggregation) !== 'sum') return this.unknown(op ?? aggregation);
    const grouping = aggregation.getChild('Grouping');
    if (grouping && !grouping.getChild('By')) return this.unknown(grouping);
    const by = grouping ? grouping.getChild('Labels')!.getChildren('Identifier').map((n) => this.text(n)) : [];
    this.uses.groupBy.push(...by);
    const inner = this.only(aggregation.getChild('MetricExpr')!, 'RangeAggregationExpr');
    if (this.text(inner.getChild('RangeOp')!) !== 'count_over_time') return this.unknown(inner.getChild('RangeOp')!);
    const matched = this.logs(inner.getChild('LogRangeExpr')!, records);
    const groups = new Map<string, number>();
    for (const r of matched) {
      const key = JSON.stringify(Object.fromEntries(by.map((l) => [l, r.stream[l] ?? r.metadata[l] ?? ''])));
      groups.set(key, (groups.get(key) ?? 0) + 1);
    }
    return groups;
  }
}

/** Evaluates a LogQL expression over records, and says which labels it used. */
export function evaluateLogQL(expr: string, records: readonly LokiRecord[]): { result: LogQLResult; uses: LogQLUses } {
  const tree = parser.parse(expr);
  const error = syntaxError(tree, expr);
  if (error) throw new Error(`LogQL ${error}`);
  const evaluator = new Evaluator(expr);
  const top = tree.topNode.getChild('Expr')?.firstChild;
  let result: LogQLResult;
  if (top?.type.name === 'LogExpr') result = { kind: 'logs', records: evaluator.logs(top, records) };
  else if (top?.type.name === 'MetricExpr') result = { kind: 'counts', groups: evaluator.counts(top, records) };
  else throw new Error(`not a log or metric query: ${expr}`);
  const { streamLabels, filterLabels, groupBy } = evaluator.uses;
  return { result, uses: { streamLabels: [...streamLabels], filterLabels: [...filterLabels], groupBy } };
}

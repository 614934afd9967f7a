/**
 * The PromQL checker shared by rules and dashboards: an expression must parse (with Prometheus's own lezer
 * grammar) and may only select series that a catalog defines or a recording rule writes, by name, with labels
 * those series have. A selector without a metric name, or one that picks names by a regex on `__name__`, is an
 * error: it cannot be checked, and it silently follows whatever names happen to exist.
 */
import { parser } from '@prometheus-io/lezer-promql';
import type { SyntaxNode } from '@lezer/common';
import { seriesLabelNamesOf, seriesNamesOf, type AnyMetricDef, type Catalog } from '../sdk/catalog';
import type { RecordedSeries } from './expr';

export interface Problem {
  /** Where the expression comes from: `dist/rules/services.yaml: group obskit.red.demo, alert ServiceDown`. */
  readonly where: string;
  readonly expr: string;
  readonly message: string;
}

export interface KnownSeriesEntry {
  /** Which catalog or rule file defines it. */
  readonly source: string;
  /** The labels a selector may match on; undefined when any label may appear (e.g. `ALERTS`). */
  readonly labels?: ReadonlySet<string>;
}

/** Every series name a query may select: catalogs ∪ recorded series ∪ a few built-ins. */
export class KnownSeries {
  private readonly entries = new Map<string, KnownSeriesEntry>();

  add(name: string, source: string, labels?: Iterable<string>): this {
    if (!this.entries.has(name)) this.entries.set(name, { source, ...(labels ? { labels: new Set(labels) } : {}) });
    return this;
  }

  /**
   * Every series of every metric of a catalog (histograms: `_bucket`, `_sum`, `_count`), with its labels plus
   * `extraLabels` (labels the scrape or OTLP ingestion adds to every series, such as `namespace`).
   */
  addCatalog(catalog: Catalog, source: string, extraLabels: readonly string[] = []): this {
    for (const def of Object.values<AnyMetricDef>(catalog)) {
      const labels = [...(seriesLabelNamesOf(def) as readonly string[]), ...extraLabels];
      for (const name of seriesNamesOf(def) as readonly string[]) this.add(name, source, labels);
    }
    return this;
  }

  addRecorded(defs: Iterable<RecordedSeries>, source: string): this {
    for (const def of defs) this.add(def.name, source, def.labelNames);
    return this;
  }

  /** The series recording rules write, so expressions may read them (labels unknown unless declared already). */
  addRecordingRules(groups: Iterable<{ readonly rules: readonly ({ readonly record: string } | object)[] }>, source: string): this {
    for (const group of groups) {
      for (const rule of group.rules) if ('record' in rule) this.add(rule.record, source);
    }
    return this;
  }

  get(name: string): KnownSeriesEntry | undefined {
    return this.entries.get(name);
  }

  has(name: string): boolean {
    return this.entries.has(name);
  }

  names(): string[] {
    return [...this.entries.keys()].sort();
  }

  /** A copy to extend without changing this one. */
  clone(): KnownSeries {
    const copy = new KnownSeries();
    for (const [name, entry] of this.entries) copy.entries.set(name, entry);
    return copy;
  }
}

function unquote(literal: string): string {
  const quote = literal[0];
  const body = literal.slice(1, -1);
  if (quote === '`') return body;
  return body.replace(/\\(.)/g, (_, c: string) => ({ n: '\n', t: '\t', r: '\r' })[c] ?? c);
}

/** Edit distance between two names (for "did you mean"). */
export function levenshtein(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = current;
    }
  }
  return row[b.length]!;
}

function suggestion(name: string, known: KnownSeries): string {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of known.names()) {
    const d = levenshtein(name, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 5)) ? `; did you mean "${best}"?` : '';
}

interface Matcher {
  readonly label: string;
  readonly op: string;
  readonly value: string;
}

/** The metric name and label matchers of a VectorSelector node. */
function readSelector(node: SyntaxNode, text: (n: SyntaxNode) => string): { name?: string; bareName?: string; matchers: Matcher[] } {
  let name: string | undefined;
  let bareName: string | undefined;
  const matchers: Matcher[] = [];
  for (let child = node.firstChild; child; child = child.nextSibling) {
    if (child.type.name === 'Identifier') name = text(child);
    if (child.type.name !== 'LabelMatchers') continue;
    for (let m = child.firstChild; m; m = m.nextSibling) {
      if (m.type.name === 'QuotedLabelName') {
        bareName = unquote(text(m));
      } else if (m.type.name === 'UnquotedLabelMatcher' || m.type.name === 'QuotedLabelMatcher') {
        const labelNode = m.getChild('LabelName') ?? m.getChild('QuotedLabelName');
        const opNode = m.getChild('MatchOp');
        const valueNode = m.getChild('StringLiteral');
        if (!labelNode || !opNode || !valueNode) continue;
        const label = labelNode.type.name === 'QuotedLabelName' ? unquote(text(labelNode)) : text(labelNode);
        matchers.push({ label, op: text(opNode), value: unquote(text(valueNode)) });
      }
    }
  }
  return { ...(name !== undefined ? { name } : {}), ...(bareName !== undefined ? { bareName } : {}), matchers };
}

/** Every vector selector of an expression, as its metric name and label matchers (selectors without a name are left out). */
export function selectorsIn(expr: string): Array<{ name: string; matchers: ReadonlyArray<{ label: string; op: string; value: string }> }> {
  const out: Array<{ name: string; matchers: Matcher[] }> = [];
  const text = (n: SyntaxNode) => expr.slice(n.from, n.to);
  parser.parse(expr).iterate({
    enter(ref) {
      if (ref.type.name !== 'VectorSelector') return undefined;
      const s = readSelector(ref.node, text);
      const name = s.name ?? s.bareName ?? s.matchers.find((m) => m.label === '__name__' && m.op === '=')?.value;
      if (name !== undefined) out.push({ name, matchers: s.matchers.filter((m) => m.label !== '__name__') });
      return false;
    },
  });
  return out;
}

/**
 * Problems with one expression: a parse error, a selector without a metric name, a regex (or negative) matcher on
 * `__name__`, a name neither a catalog nor a recording rule defines, a matcher on a label the series lacks.
 */
export function checkPromQL(expr: string, known: KnownSeries, where = 'expression'): Problem[] {
  const problems: Problem[] = [];
  const add = (message: string) => problems.push({ where, expr, message });
  const text = (n: SyntaxNode) => expr.slice(n.from, n.to);

  if (expr.trim() === '') {
    add('is empty');
    return problems;
  }
  const tree = parser.parse(expr);
  let parseError = false;
  tree.iterate({
    enter(ref) {
      if (ref.type.isError) {
        const at = Math.min(ref.from, expr.length);
        if (!parseError) add(`does not parse at offset ${at}: ${JSON.stringify(expr.slice(Math.max(0, at - 20), at + 20))}`);
        parseError = true;
        return false;
      }
      if (ref.type.name !== 'VectorSelector') return undefined;
      const selector = readSelector(ref.node, text);
      const nameMatchers = selector.matchers.filter((m) => m.label === '__name__');
      for (const m of nameMatchers) {
        if (m.op !== '=') add(`selects metric names with ${m.op} on __name__ (${JSON.stringify(m.value)}); name each metric instead`);
      }
      const name = selector.name ?? selector.bareName ?? nameMatchers.find((m) => m.op === '=')?.value;
      if (name === undefined) {
        if (nameMatchers.length === 0) add(`selector ${text(ref.node)} names no metric`);
        return false;
      }
      const entry = known.get(name);
      if (!entry) {
        add(`"${name}" is neither in a metric catalog nor written by a recording rule${suggestion(name, known)}`);
        return false;
      }
      if (entry.labels) {
        for (const m of selector.matchers) {
          if (m.label === '__name__' || entry.labels.has(m.label)) continue;
          add(`"${name}" has no label "${m.label}" (its labels: ${[...entry.labels].sort().join(', ')}; from ${entry.source})`);
        }
      }
      return false;
    },
  });
  return problems;
}

/** Every rule expression of some rule groups, each named by file, group and rule. */
export function checkRuleGroups(
  groups: readonly { readonly name: string; readonly rules: readonly ({ readonly expr: string } & ({ readonly alert: string } | { readonly record: string }))[] }[],
  known: KnownSeries,
  file: string,
): Problem[] {
  return groups.flatMap((group) =>
    group.rules.flatMap((rule) => {
      const what = 'alert' in rule ? `alert ${rule.alert}` : `record ${rule.record}`;
      return checkPromQL(rule.expr, known, `${file}: group ${group.name}, ${what}`);
    }),
  );
}

export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((p) => `${p.where}: ${p.message}\n    ${p.expr.replace(/\n/g, '\n    ')}`).join('\n');
}

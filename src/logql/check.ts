/**
 * The LogQL checker for what obskit generates (dashboards; any log alert would go through it too): an expression
 * must parse with Grafana's lezer grammar for LogQL (@grafana/lezer-logql, the one Grafana's own Loki query editor
 * uses), and each stream selector must be one Loki accepts and can answer:
 *
 * - at least one matcher that cannot match the empty string (Loki refuses `{job=~".*"}`-only selectors);
 * - only labels Loki indexes for OTLP logs (src/logql/stream-labels.ts): any other label selects nothing, since
 *   Loki keeps every other attribute of a record as structured metadata, filtered with `| name="value"` instead.
 */
import { parser } from '@grafana/lezer-logql';
import type { SyntaxNode } from '@lezer/common';
import { syntaxError } from '../lezer/syntax-error';
import type { Problem } from '../promql/check';
import { STREAM_LABELS } from './stream-labels';

export interface StreamMatcher {
  readonly label: string;
  readonly op: '=' | '!=' | '=~' | '!~';
  readonly value: string;
}

const OPS: Readonly<Record<string, StreamMatcher['op']>> = { Eq: '=', Neq: '!=', Re: '=~', Nre: '!~' };

/** A LogQL string literal's value: `"…"` with Go escapes, or a raw `` `…` ``. */
export function unquoteLogQL(literal: string): string {
  if (literal.startsWith('`')) return literal.slice(1, -1);
  return JSON.parse(literal) as string;
}

/** The matchers of a Selector node. */
export function selectorMatchers(selector: SyntaxNode, expr: string): StreamMatcher[] {
  const text = (n: SyntaxNode) => expr.slice(n.from, n.to);
  return selector.getChild('Matchers')?.getChildren('Matcher').flatMap((m) => {
    const label = m.getChild('Identifier');
    const value = m.getChild('String');
    const op = Object.keys(OPS).map((name) => m.getChild(name)).find((n) => n !== null);
    return label && value && op ? [{ label: text(label), op: OPS[op.type.name]!, value: unquoteLogQL(text(value)) }] : [];
  }) ?? [];
}

/** Whether a matcher selects streams that lack the label (Loki treats a missing label as the empty value). */
function matchesEmpty(m: StreamMatcher): boolean {
  if (m.op === '=') return m.value === '';
  if (m.op === '!=') return m.value !== '';
  const re = new RegExp(`^(?:${m.value})$`);
  return m.op === '=~' ? re.test('') : !re.test('');
}

function regexProblem(m: StreamMatcher): string | undefined {
  if (m.op !== '=~' && m.op !== '!~') return undefined;
  try {
    new RegExp(m.value);
    return undefined;
  } catch (error) {
    return `matcher ${m.label}${m.op}${JSON.stringify(m.value)} is not a valid regular expression: ${(error as Error).message}`;
  }
}

/** Problems with one LogQL expression, each prefixed by `where` (the dashboard, panel and target). */
export function checkLogQL(expr: string, where = 'expression', streamLabels: ReadonlySet<string> = STREAM_LABELS): Problem[] {
  const problems: Problem[] = [];
  const add = (message: string) => problems.push({ where, expr, message });
  if (expr.trim() === '') {
    add('LogQL is empty');
    return problems;
  }
  const tree = parser.parse(expr);
  const error = syntaxError(tree, expr);
  if (error) {
    add(`LogQL ${error}`);
    return problems;
  }
  const selectors: SyntaxNode[] = [];
  tree.iterate({
    enter(ref) {
      if (ref.type.name !== 'Selector') return undefined;
      selectors.push(ref.node);
      return false;
    },
  });
  if (selectors.length === 0) add('LogQL has no stream selector');
  for (const selector of selectors) {
    const shown = expr.slice(selector.from, selector.to);
    const matchers = selectorMatchers(selector, expr);
    const bad = matchers.map(regexProblem).filter((p): p is string => p !== undefined);
    bad.forEach(add);
    if (bad.length > 0) continue;
    if (!matchers.some((m) => !matchesEmpty(m))) add(`stream selector ${shown} needs a matcher that does not match the empty value`);
    for (const m of matchers) {
      if (!streamLabels.has(m.label)) {
        add(`stream selector ${shown} matches "${m.label}", which Loki does not index for OTLP logs (index labels: ${[...streamLabels].join(', ')}); filter structured metadata with | ${m.label}="…" instead`);
      }
    }
  }
  return problems;
}

/**
 * The TraceQL checker for what obskit generates (Tempo searches of dashboards): an expression must parse with
 * Grafana's lezer grammar for TraceQL (@grafana/lezer-traceql, the one Grafana's Tempo query editor uses).
 */
import { parser } from '@grafana/lezer-traceql';
import { syntaxError } from '../lezer/syntax-error';
import type { Problem } from '../promql/check';

/** Problems with one TraceQL expression, each prefixed by `where` (the dashboard, panel and target). */
export function checkTraceQL(expr: string, where = 'expression'): Problem[] {
  if (expr.trim() === '') return [{ where, expr, message: 'TraceQL is empty' }];
  const error = syntaxError(parser.parse(expr), expr);
  return error ? [{ where, expr, message: `TraceQL ${error}` }] : [];
}

import { parser } from '@grafana/lezer-traceql';
import { syntaxError } from '../../../src/lezer/syntax-error';
import type { DecodedSpan } from './otlp-proto';

/**
 * Tempo does not run here (AGPL), so the dashboards' TraceQL queries are not executed by it. Instead each must parse
 * with the TraceQL grammar Grafana uses (@grafana/lezer-traceql), and is then read by a strict parser for the subset
 * of TraceQL that src/dashboards/queries.ts emits (anything else is a parse error, so a new query shape has to be
 * taught here on purpose), and evaluated against the spans the collector delivered to the Tempo stand-in, with
 * Tempo's semantics: a spanset matches a span that meets every condition. (LogQL likewise: support/logql.ts.)
 */

type Token = { kind: 'ident' | 'string' | 'op' | 'punct' | 'duration' | 'number'; text: string };

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  const re = /\s*(?:("(?:[^"\\]|\\.)*")|(\d+(?:\.\d+)?(?:ms|s|m|h))\b|([A-Za-z_][\w.]*)|(\|=|!=|\|~|!~|=~|>=|<=|&&|=|>|<)|([{}()[\],]))/y;
  let at = 0;
  while (at < input.length) {
    if (/^\s*$/.test(input.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(input);
    if (!m) throw new Error(`unexpected input at ${at}: ${JSON.stringify(input.slice(at, at + 20))}`);
    at = re.lastIndex;
    if (m[1] !== undefined) tokens.push({ kind: 'string', text: JSON.parse(m[1]) as string });
    else if (m[2] !== undefined) tokens.push({ kind: 'duration', text: m[2] });
    else if (m[3] !== undefined) tokens.push({ kind: 'ident', text: m[3] });
    else if (m[4] !== undefined) tokens.push({ kind: 'op', text: m[4] });
    else tokens.push({ kind: 'punct', text: m[5]! });
  }
  return tokens;
}

class Cursor {
  private i = 0;
  constructor(private readonly tokens: Token[]) {}
  peek(): Token | undefined {
    return this.tokens[this.i];
  }
  next(kind?: Token['kind'], text?: string): Token {
    const t = this.tokens[this.i];
    if (!t || (kind && t.kind !== kind) || (text !== undefined && t.text !== text)) {
      throw new Error(`expected ${text ?? kind ?? 'a token'}, got ${t ? JSON.stringify(t.text) : 'the end'}`);
    }
    this.i += 1;
    return t;
  }
  done(): void {
    if (this.i !== this.tokens.length) throw new Error(`unexpected ${JSON.stringify(this.tokens[this.i]?.text)} after the query`);
  }
}

// --------------------------------------------------------------------------------------------------- TraceQL

export type TraceCondition =
  | { readonly kind: 'attribute'; readonly scope: 'resource' | 'span'; readonly name: string; readonly value: string }
  | { readonly kind: 'status'; readonly value: 'error' | 'ok' | 'unset' }
  | { readonly kind: 'duration'; readonly atLeastNanos: bigint };

const NANOS: Readonly<Record<string, bigint>> = { ms: 1_000_000n, s: 1_000_000_000n, m: 60_000_000_000n, h: 3_600_000_000_000n };

export function parseTraceQL(query: string): TraceCondition[] {
  const error = syntaxError(parser.parse(query), query);
  if (error) throw new Error(`TraceQL ${error}`);
  const c = new Cursor(tokenize(query));
  const conditions: TraceCondition[] = [];
  c.next('punct', '{');
  for (;;) {
    const lhs = c.next('ident').text;
    if (lhs === 'status') {
      c.next('op', '=');
      const value = c.next('ident').text;
      if (value !== 'error' && value !== 'ok' && value !== 'unset') throw new Error(`bad status ${value}`);
      conditions.push({ kind: 'status', value });
    } else if (lhs === 'duration') {
      c.next('op', '>=');
      const d = /^(\d+(?:\.\d+)?)(ms|s|m|h)$/.exec(c.next('duration').text)!;
      conditions.push({ kind: 'duration', atLeastNanos: BigInt(Math.round(Number(d[1]) * 1000)) * NANOS[d[2]!]! / 1000n });
    } else {
      const m = /^(resource|span)\.(.+)$/.exec(lhs);
      if (!m) throw new Error(`unsupported attribute ${lhs}`);
      c.next('op', '=');
      conditions.push({ kind: 'attribute', scope: m[1] as 'resource' | 'span', name: m[2]!, value: c.next('string').text });
    }
    if (c.peek()?.text === '&&') c.next('op', '&&');
    else break;
  }
  c.next('punct', '}');
  c.done();
  return conditions;
}

const STATUS: Readonly<Record<string, number>> = { unset: 0, ok: 1, error: 2 };

/** The spans that match every condition (a trace with one of them is in the search result). */
export function evaluateTraceQL(conditions: readonly TraceCondition[], spans: readonly DecodedSpan[]): DecodedSpan[] {
  return spans.filter((s) =>
    conditions.every((c) => {
      if (c.kind === 'status') return s.statusCode === STATUS[c.value];
      if (c.kind === 'duration') return s.endUnixNano - s.startUnixNano >= c.atLeastNanos;
      const attrs = c.scope === 'resource' ? s.resource : s.attributes;
      return attrs[c.name] === c.value;
    }),
  );
}
